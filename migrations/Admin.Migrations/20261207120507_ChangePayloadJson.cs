using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Admin.Migrations
{
    /// <summary>Change notifications as JSON (see Admin.Data/Credentials/ChangeNotification).</summary>
    public partial class ChangePayloadJson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The triggers' payload becomes JSON built by json_build_object, so a realm or user name containing '|' (which
            // coturn's tools allow) or any other character arrives intact; the old "table|op|realm|detail" split on '|'.
            // The triggers themselves are unchanged: they call this function.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION turnstone_notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE
                    op text;
                BEGIN
                    IF TG_OP = 'TRUNCATE' THEN
                        PERFORM pg_notify('turnstone_changes', json_build_object('table', TG_TABLE_NAME, 'op', 'T', 'realm', '', 'detail', '')::text);
                        RETURN NULL;
                    END IF;
                    op := left(TG_OP, 1);
                    IF TG_TABLE_NAME = 'turnusers_lt' THEN
                        IF TG_OP = 'UPDATE' AND NEW.disabled AND NOT OLD.disabled THEN
                            op := 'R';
                        END IF;
                        IF TG_OP <> 'DELETE' THEN
                            PERFORM pg_notify('turnstone_changes', json_build_object('table', TG_TABLE_NAME, 'op', op, 'realm', coalesce(NEW.realm, ''), 'detail', NEW.name)::text);
                        END IF;
                        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.realm, OLD.name) IS DISTINCT FROM (NEW.realm, NEW.name)) THEN
                            PERFORM pg_notify('turnstone_changes', json_build_object('table', TG_TABLE_NAME, 'op', 'D', 'realm', coalesce(OLD.realm, ''), 'detail', OLD.name)::text);
                        END IF;
                    ELSIF TG_TABLE_NAME = 'turn_secret' THEN
                        IF TG_OP <> 'DELETE' THEN
                            PERFORM pg_notify('turnstone_changes', json_build_object('table', TG_TABLE_NAME, 'op', op, 'realm', coalesce(NEW.realm, ''), 'detail',
                                encode(sha256(convert_to(NEW.value, 'UTF8')), 'hex'))::text);
                        END IF;
                        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.realm, OLD.value) IS DISTINCT FROM (NEW.realm, NEW.value)) THEN
                            PERFORM pg_notify('turnstone_changes', json_build_object('table', TG_TABLE_NAME, 'op', 'D', 'realm', coalesce(OLD.realm, ''), 'detail',
                                encode(sha256(convert_to(OLD.value, 'UTF8')), 'hex'))::text);
                        END IF;
                    ELSE
                        IF TG_OP <> 'DELETE' THEN
                            PERFORM pg_notify('turnstone_changes', json_build_object('table', TG_TABLE_NAME, 'op', op, 'realm', coalesce(NEW.realm, ''), 'detail', '')::text);
                        END IF;
                        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.realm IS DISTINCT FROM NEW.realm) THEN
                            PERFORM pg_notify('turnstone_changes', json_build_object('table', TG_TABLE_NAME, 'op', 'D', 'realm', coalesce(OLD.realm, ''), 'detail', '')::text);
                        END IF;
                    END IF;
                    RETURN NULL;
                END
                $fn$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
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
                """);
        }
    }
}
