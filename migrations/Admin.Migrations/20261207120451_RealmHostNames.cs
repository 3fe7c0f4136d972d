using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Admin.Migrations
{
    /// <inheritdoc />
    public partial class RealmHostNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "turnstone_realm_host_name",
                columns: table => new
                {
                    host_name = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    realm = table.Column<string>(type: "character varying(127)", maxLength: 127, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_turnstone_realm_host_name", x => x.host_name);
                });

            migrationBuilder.CreateIndex(
                name: "ix_turnstone_realm_host_name_realm",
                table: "turnstone_realm_host_name",
                column: "realm");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "turnstone_realm_host_name");
        }
    }
}
