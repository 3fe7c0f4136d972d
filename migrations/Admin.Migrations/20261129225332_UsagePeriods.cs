using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Admin.Migrations
{
    /// <inheritdoc />
    public partial class UsagePeriods : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "turnstone_usage_period",
                columns: table => new
                {
                    granularity = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    period_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    realm = table.Column<string>(type: "character varying(127)", maxLength: 127, nullable: false),
                    name = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    bytes_in = table.Column<long>(type: "bigint", nullable: false),
                    bytes_out = table.Column<long>(type: "bigint", nullable: false),
                    packets_in = table.Column<long>(type: "bigint", nullable: false),
                    packets_out = table.Column<long>(type: "bigint", nullable: false),
                    allocation_seconds = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_turnstone_usage_period", x => new { x.granularity, x.period_start, x.realm, x.name });
                    table.CheckConstraint("ck_turnstone_usage_period_granularity", "granularity IN ('hour', 'day')");
                });

            migrationBuilder.CreateIndex(
                name: "ix_turnstone_usage_period_realm",
                table: "turnstone_usage_period",
                columns: new[] { "realm", "period_start" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "turnstone_usage_period");
        }
    }
}
