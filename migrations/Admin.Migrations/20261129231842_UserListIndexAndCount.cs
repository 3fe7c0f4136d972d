using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Admin.Migrations
{
    /// <summary>
    /// Keeps the Users page fast with 1,000,000 users in a realm (bench/user-queries.sh, docs/PERFORMANCE.md):
    /// one index that serves case-insensitive prefix search, the page order and index-only paging, and an exact
    /// per-realm user count kept by statement-level triggers, so the pager's total is not a COUNT over the realm.
    /// </summary>
    public partial class UserListIndexAndCount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- (realm, lower(name), name) in byte order: LIKE 'prefix%' on lower(name) becomes a range scan (C collation),
                -- ORDER BY lower(name), name reads the index in order, and paging by OFFSET is an index-only scan.
                -- It replaces the text_pattern_ops index, which could search but not order.
                CREATE INDEX IF NOT EXISTS ix_turnusers_lt_realm_lower_name_c ON turnusers_lt (realm, lower(name) COLLATE "C", name COLLATE "C");
                DROP INDEX IF EXISTS ix_turnusers_lt_realm_lower_name;

                CREATE TABLE IF NOT EXISTS turnstone_realm_user_count (
                    realm varchar(127) PRIMARY KEY,
                    users bigint NOT NULL);
                INSERT INTO turnstone_realm_user_count (realm, users)
                    SELECT coalesce(realm, ''), count(*) FROM turnusers_lt GROUP BY coalesce(realm, '')
                    ON CONFLICT (realm) DO UPDATE SET users = excluded.users;

                -- Statement-level with transition tables: one counter update per statement (a COPY of a million rows
                -- included), not per row. Concurrent writers to one realm queue on its counter row until commit.
                CREATE OR REPLACE FUNCTION turnstone_count_users() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP = 'TRUNCATE' THEN
                        DELETE FROM turnstone_realm_user_count;
                        RETURN NULL;
                    END IF;
                    -- Most updates (password, disabled) keep every row in its realm: nothing to count.
                    -- (Nested IFs: a statement naming old_rows must not even be planned in an INSERT trigger.)
                    IF TG_OP = 'UPDATE' THEN
                        IF NOT EXISTS (
                            SELECT coalesce(realm, ''), count(*) FROM old_rows GROUP BY 1
                            EXCEPT ALL SELECT coalesce(realm, ''), count(*) FROM new_rows GROUP BY 1) THEN
                            RETURN NULL;
                        END IF;
                    END IF;
                    IF TG_OP IN ('DELETE', 'UPDATE') THEN
                        UPDATE turnstone_realm_user_count c SET users = c.users - d.n
                        FROM (SELECT coalesce(realm, '') AS realm, count(*) AS n FROM old_rows GROUP BY 1) d
                        WHERE c.realm = d.realm;
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        INSERT INTO turnstone_realm_user_count AS c (realm, users)
                            SELECT coalesce(realm, ''), count(*) FROM new_rows GROUP BY 1
                            ON CONFLICT (realm) DO UPDATE SET users = c.users + excluded.users;
                    END IF;
                    RETURN NULL;
                END
                $fn$;
                DROP TRIGGER IF EXISTS turnstone_count_users_insert ON turnusers_lt;
                CREATE TRIGGER turnstone_count_users_insert AFTER INSERT ON turnusers_lt
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION turnstone_count_users();
                DROP TRIGGER IF EXISTS turnstone_count_users_delete ON turnusers_lt;
                CREATE TRIGGER turnstone_count_users_delete AFTER DELETE ON turnusers_lt
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION turnstone_count_users();
                DROP TRIGGER IF EXISTS turnstone_count_users_update ON turnusers_lt;
                CREATE TRIGGER turnstone_count_users_update AFTER UPDATE ON turnusers_lt
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION turnstone_count_users();
                DROP TRIGGER IF EXISTS turnstone_count_users_truncate ON turnusers_lt;
                CREATE TRIGGER turnstone_count_users_truncate AFTER TRUNCATE ON turnusers_lt
                    FOR EACH STATEMENT EXECUTE FUNCTION turnstone_count_users();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS turnstone_count_users_insert ON turnusers_lt;
                DROP TRIGGER IF EXISTS turnstone_count_users_delete ON turnusers_lt;
                DROP TRIGGER IF EXISTS turnstone_count_users_update ON turnusers_lt;
                DROP TRIGGER IF EXISTS turnstone_count_users_truncate ON turnusers_lt;
                DROP FUNCTION IF EXISTS turnstone_count_users();
                DROP TABLE IF EXISTS turnstone_realm_user_count;
                CREATE INDEX IF NOT EXISTS ix_turnusers_lt_realm_lower_name ON turnusers_lt (realm, lower(name) text_pattern_ops);
                DROP INDEX IF EXISTS ix_turnusers_lt_realm_lower_name_c;
                """);
        }
    }
}
