using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Admin.Migrations
{
    /// <inheritdoc />
    public partial class ClusterUserCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "turnstone_cluster_quota_node",
                columns: table => new
                {
                    node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_turnstone_cluster_quota_node", x => x.node);
                });

            migrationBuilder.CreateTable(
                name: "turnstone_cluster_user_count",
                columns: table => new
                {
                    node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    realm = table.Column<string>(type: "character varying(127)", maxLength: 127, nullable: false),
                    quota_user = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    allocations = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_turnstone_cluster_user_count", x => new { x.node, x.realm, x.quota_user });
                });

            migrationBuilder.CreateIndex(
                name: "ix_turnstone_cluster_user_count_user",
                table: "turnstone_cluster_user_count",
                columns: new[] { "realm", "quota_user" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "turnstone_cluster_quota_node");

            migrationBuilder.DropTable(
                name: "turnstone_cluster_user_count");
        }
    }
}
