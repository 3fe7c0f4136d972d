using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Admin.Migrations
{
    /// <inheritdoc />
    public partial class ApiTokenScopes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "scope",
                table: "turnstone_admin_api_token",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "full");

            migrationBuilder.AddColumn<string>(
                name: "scope_realm",
                table: "turnstone_admin_api_token",
                type: "character varying(127)",
                maxLength: 127,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "scope",
                table: "turnstone_admin_api_token");

            migrationBuilder.DropColumn(
                name: "scope_realm",
                table: "turnstone_admin_api_token");
        }
    }
}
