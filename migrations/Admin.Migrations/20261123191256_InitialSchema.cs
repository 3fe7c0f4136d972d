using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Admin.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

            // coturn's tables exactly as coturn's schema.sql creates them (IF NOT EXISTS: migrating onto an
            // exported coturn database keeps its rows), then Turnstone's extra columns, which coturn ignores and
            // whose defaults keep coturn's own INSERTs working.
            migrationBuilder.Sql("""
                CREATE TABLE IF NOT EXISTS turnusers_lt (
                    realm varchar(127) DEFAULT '',
                    name varchar(512),
                    hmackey char(128),
                    PRIMARY KEY (realm, name));
                CREATE TABLE IF NOT EXISTS turn_secret (
                    realm varchar(127) DEFAULT '',
                    value varchar(256),
                    PRIMARY KEY (realm, value));
                CREATE TABLE IF NOT EXISTS allowed_peer_ip (
                    realm varchar(127) DEFAULT '',
                    ip_range varchar(256),
                    PRIMARY KEY (realm, ip_range));
                CREATE TABLE IF NOT EXISTS denied_peer_ip (
                    realm varchar(127) DEFAULT '',
                    ip_range varchar(256),
                    PRIMARY KEY (realm, ip_range));
                CREATE TABLE IF NOT EXISTS turn_origin_to_realm (
                    origin varchar(127),
                    realm varchar(127),
                    PRIMARY KEY (origin));
                CREATE TABLE IF NOT EXISTS turn_realm_option (
                    realm varchar(127) DEFAULT '',
                    opt varchar(32),
                    value varchar(128),
                    PRIMARY KEY (realm, opt));
                CREATE TABLE IF NOT EXISTS oauth_key (
                    kid varchar(128),
                    ikm_key varchar(256),
                    timestamp bigint DEFAULT 0,
                    lifetime integer DEFAULT 0,
                    as_rs_alg varchar(64) DEFAULT '',
                    realm varchar(127),
                    PRIMARY KEY (kid));
                CREATE TABLE IF NOT EXISTS admin_user (
                    name varchar(32),
                    realm varchar(127),
                    password varchar(127),
                    PRIMARY KEY (name));

                ALTER TABLE turnusers_lt
                    ADD COLUMN IF NOT EXISTS disabled boolean NOT NULL DEFAULT false,
                    ADD COLUMN IF NOT EXISTS created_at timestamp with time zone NOT NULL DEFAULT now(),
                    ADD COLUMN IF NOT EXISTS updated_at timestamp with time zone NOT NULL DEFAULT now(),
                    ADD COLUMN IF NOT EXISTS userhash bytea;
                ALTER TABLE admin_user
                    ADD COLUMN IF NOT EXISTS failed_login_count integer NOT NULL DEFAULT 0,
                    ADD COLUMN IF NOT EXISTS lockout_until timestamp with time zone,
                    ADD COLUMN IF NOT EXISTS created_at timestamp with time zone NOT NULL DEFAULT now(),
                    ADD COLUMN IF NOT EXISTS updated_at timestamp with time zone NOT NULL DEFAULT now(),
                    ADD COLUMN IF NOT EXISTS last_login_at timestamp with time zone;

                -- Case-insensitive name-prefix search within a realm (lower(name) LIKE 'abc%'), independent of
                -- the database collation; the primary key (realm, name) serves ordering and paging.
                CREATE INDEX IF NOT EXISTS ix_turnusers_lt_realm_lower_name ON turnusers_lt (realm, lower(name) text_pattern_ops);

                -- RFC 8489 USERHASH = SHA-256(username ":" realm), kept by a trigger so rows written by coturn's
                -- tools or raw SQL get it too.
                CREATE OR REPLACE FUNCTION turnstone_set_userhash() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    NEW.userhash := sha256(convert_to(NEW.name || ':' || NEW.realm, 'UTF8'));
                    RETURN NEW;
                END
                $fn$;
                DROP TRIGGER IF EXISTS turnstone_userhash ON turnusers_lt;
                CREATE TRIGGER turnstone_userhash BEFORE INSERT OR UPDATE OF realm, name ON turnusers_lt
                    FOR EACH ROW EXECUTE FUNCTION turnstone_set_userhash();
                UPDATE turnusers_lt SET userhash = sha256(convert_to(name || ':' || realm, 'UTF8')) WHERE userhash IS NULL;

                -- Every change the relay's caches depend on, from the portal, the CLI, coturn's tools or raw SQL,
                -- is announced on channel turnstone_changes as "table|op|realm|detail":
                --   op I (insert), U (update), D (delete), R (user disabled: a revocation), T (truncate: flush all);
                --   detail is the user name for turnusers_lt, the SHA-256 hex of the value for turn_secret, else empty.
                CREATE OR REPLACE FUNCTION turnstone_notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE
                    op text;
                BEGIN
                    IF TG_OP = 'TRUNCATE' THEN
                        PERFORM pg_notify('turnstone_changes', TG_TABLE_NAME || '|T||');
                        RETURN NULL;
                    END IF;
                    op := left(TG_OP, 1);
                    IF TG_TABLE_NAME = 'turnusers_lt' THEN
                        IF TG_OP = 'UPDATE' AND NEW.disabled AND NOT OLD.disabled THEN
                            op := 'R';
                        END IF;
                        IF TG_OP <> 'DELETE' THEN
                            PERFORM pg_notify('turnstone_changes', TG_TABLE_NAME || '|' || op || '|' || coalesce(NEW.realm, '') || '|' || NEW.name);
                        END IF;
                        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.realm, OLD.name) IS DISTINCT FROM (NEW.realm, NEW.name)) THEN
                            PERFORM pg_notify('turnstone_changes', TG_TABLE_NAME || '|D|' || coalesce(OLD.realm, '') || '|' || OLD.name);
                        END IF;
                    ELSIF TG_TABLE_NAME = 'turn_secret' THEN
                        IF TG_OP <> 'DELETE' THEN
                            PERFORM pg_notify('turnstone_changes', TG_TABLE_NAME || '|' || op || '|' || coalesce(NEW.realm, '') || '|'
                                || encode(sha256(convert_to(NEW.value, 'UTF8')), 'hex'));
                        END IF;
                        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.realm, OLD.value) IS DISTINCT FROM (NEW.realm, NEW.value)) THEN
                            PERFORM pg_notify('turnstone_changes', TG_TABLE_NAME || '|D|' || coalesce(OLD.realm, '') || '|'
                                || encode(sha256(convert_to(OLD.value, 'UTF8')), 'hex'));
                        END IF;
                    ELSE
                        IF TG_OP <> 'DELETE' THEN
                            PERFORM pg_notify('turnstone_changes', TG_TABLE_NAME || '|' || op || '|' || coalesce(NEW.realm, '') || '|');
                        END IF;
                        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.realm IS DISTINCT FROM NEW.realm) THEN
                            PERFORM pg_notify('turnstone_changes', TG_TABLE_NAME || '|D|' || coalesce(OLD.realm, '') || '|');
                        END IF;
                    END IF;
                    RETURN NULL;
                END
                $fn$;
                DROP TRIGGER IF EXISTS turnstone_notify_row ON turnusers_lt;
                CREATE TRIGGER turnstone_notify_row AFTER INSERT OR UPDATE OR DELETE ON turnusers_lt FOR EACH ROW EXECUTE FUNCTION turnstone_notify_change();
                DROP TRIGGER IF EXISTS turnstone_notify_truncate ON turnusers_lt;
                CREATE TRIGGER turnstone_notify_truncate AFTER TRUNCATE ON turnusers_lt FOR EACH STATEMENT EXECUTE FUNCTION turnstone_notify_change();
                DROP TRIGGER IF EXISTS turnstone_notify_row ON turn_secret;
                CREATE TRIGGER turnstone_notify_row AFTER INSERT OR UPDATE OR DELETE ON turn_secret FOR EACH ROW EXECUTE FUNCTION turnstone_notify_change();
                DROP TRIGGER IF EXISTS turnstone_notify_truncate ON turn_secret;
                CREATE TRIGGER turnstone_notify_truncate AFTER TRUNCATE ON turn_secret FOR EACH STATEMENT EXECUTE FUNCTION turnstone_notify_change();
                DROP TRIGGER IF EXISTS turnstone_notify_row ON turn_realm_option;
                CREATE TRIGGER turnstone_notify_row AFTER INSERT OR UPDATE OR DELETE ON turn_realm_option FOR EACH ROW EXECUTE FUNCTION turnstone_notify_change();
                DROP TRIGGER IF EXISTS turnstone_notify_truncate ON turn_realm_option;
                CREATE TRIGGER turnstone_notify_truncate AFTER TRUNCATE ON turn_realm_option FOR EACH STATEMENT EXECUTE FUNCTION turnstone_notify_change();
                DROP TRIGGER IF EXISTS turnstone_notify_row ON allowed_peer_ip;
                CREATE TRIGGER turnstone_notify_row AFTER INSERT OR UPDATE OR DELETE ON allowed_peer_ip FOR EACH ROW EXECUTE FUNCTION turnstone_notify_change();
                DROP TRIGGER IF EXISTS turnstone_notify_truncate ON allowed_peer_ip;
                CREATE TRIGGER turnstone_notify_truncate AFTER TRUNCATE ON allowed_peer_ip FOR EACH STATEMENT EXECUTE FUNCTION turnstone_notify_change();
                DROP TRIGGER IF EXISTS turnstone_notify_row ON denied_peer_ip;
                CREATE TRIGGER turnstone_notify_row AFTER INSERT OR UPDATE OR DELETE ON denied_peer_ip FOR EACH ROW EXECUTE FUNCTION turnstone_notify_change();
                DROP TRIGGER IF EXISTS turnstone_notify_truncate ON denied_peer_ip;
                CREATE TRIGGER turnstone_notify_truncate AFTER TRUNCATE ON denied_peer_ip FOR EACH STATEMENT EXECUTE FUNCTION turnstone_notify_change();
                """);
            migrationBuilder.CreateTable(
                name: "turnstone_audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    admin = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    target = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    realm = table.Column<string>(type: "character varying(127)", maxLength: 127, nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: true),
                    client_address = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_turnstone_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "turnstone_realm",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(127)", maxLength: 127, nullable: false),
                    description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false, defaultValue: ""),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_turnstone_realm", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "turnstone_relay_node",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    host_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_turnstone_relay_node", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "turnstone_usage_minute",
                columns: table => new
                {
                    minute = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
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
                    table.PrimaryKey("PK_turnstone_usage_minute", x => new { x.minute, x.node, x.realm, x.name });
                });

            migrationBuilder.CreateTable(
                name: "turnstone_admin_api_token",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    admin_name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_turnstone_admin_api_token", x => x.id);
                    table.ForeignKey(
                        name: "FK_turnstone_admin_api_token_admin_user_admin_name",
                        column: x => x.admin_name,
                        principalTable: "admin_user",
                        principalColumn: "name",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_turnstone_admin_api_token_admin",
                table: "turnstone_admin_api_token",
                column: "admin_name");

            migrationBuilder.CreateIndex(
                name: "ux_turnstone_admin_api_token_hash",
                table: "turnstone_admin_api_token",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_turnstone_audit_log_admin_at",
                table: "turnstone_audit_log",
                columns: new[] { "admin", "at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_turnstone_audit_log_at",
                table: "turnstone_audit_log",
                column: "at",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_turnstone_audit_log_realm_at",
                table: "turnstone_audit_log",
                columns: new[] { "realm", "at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_turnstone_usage_minute_realm",
                table: "turnstone_usage_minute",
                columns: new[] { "realm", "minute" });

            migrationBuilder.CreateIndex(
                name: "ix_turnstone_usage_minute_user",
                table: "turnstone_usage_minute",
                columns: new[] { "realm", "name", "minute" });

            migrationBuilder.CreateIndex(
                name: "ix_turnusers_lt_userhash",
                table: "turnusers_lt",
                column: "userhash");

            // An imported coturn database: list its realms in the portal's registry.
            migrationBuilder.Sql("""
                INSERT INTO turnstone_realm (name)
                SELECT DISTINCT realm FROM (
                    SELECT realm FROM turnusers_lt UNION SELECT realm FROM turn_secret
                    UNION SELECT realm FROM turn_realm_option UNION SELECT realm FROM turn_origin_to_realm) AS r
                WHERE realm IS NOT NULL AND realm <> ''
                ON CONFLICT (name) DO NOTHING;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS turnstone_notify_change() CASCADE;
                DROP FUNCTION IF EXISTS turnstone_set_userhash() CASCADE;
                """);

            migrationBuilder.DropTable(
                name: "allowed_peer_ip");

            migrationBuilder.DropTable(
                name: "denied_peer_ip");

            migrationBuilder.DropTable(
                name: "oauth_key");

            migrationBuilder.DropTable(
                name: "turn_origin_to_realm");

            migrationBuilder.DropTable(
                name: "turn_realm_option");

            migrationBuilder.DropTable(
                name: "turn_secret");

            migrationBuilder.DropTable(
                name: "turnstone_admin_api_token");

            migrationBuilder.DropTable(
                name: "turnstone_audit_log");

            migrationBuilder.DropTable(
                name: "turnstone_realm");

            migrationBuilder.DropTable(
                name: "turnstone_relay_node");

            migrationBuilder.DropTable(
                name: "turnstone_usage_minute");

            migrationBuilder.DropTable(
                name: "turnusers_lt");

            migrationBuilder.DropTable(
                name: "admin_user");
        }
    }
}
