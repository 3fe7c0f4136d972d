using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Admin.Migrations
{
    /// <inheritdoc />
    public partial class NodeRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // turnstone_relay_node was reserved for this and never written: the registry replaces it.
            migrationBuilder.DropTable(
                name: "turnstone_relay_node");

            migrationBuilder.CreateTable(
                name: "turnstone_node",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    udp = table.Column<List<string>>(type: "text[]", nullable: false),
                    tcp = table.Column<List<string>>(type: "text[]", nullable: false),
                    tls = table.Column<List<string>>(type: "text[]", nullable: false),
                    internal_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    draining = table.Column<bool>(type: "boolean", nullable: false),
                    full = table.Column<bool>(type: "boolean", nullable: false),
                    allocations = table.Column<int>(type: "integer", nullable: false),
                    bits_per_second_in = table.Column<double>(type: "double precision", nullable: false),
                    bits_per_second_out = table.Column<double>(type: "double precision", nullable: false),
                    certificate_expiry = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_turnstone_node", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "ix_turnstone_node_heartbeat_at",
                table: "turnstone_node",
                column: "heartbeat_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "turnstone_node");

            migrationBuilder.CreateTable(
                name: "turnstone_relay_node",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    host_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_turnstone_relay_node", x => x.id);
                });
        }
    }
}
