CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" character varying(150) NOT NULL,
    "ProductVersion" character varying(32) NOT NULL,
    CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY ("MigrationId")
);

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
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
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE TABLE turnstone_audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY,
        at timestamp with time zone NOT NULL DEFAULT (now()),
        admin character varying(64) NOT NULL,
        action character varying(64) NOT NULL,
        target character varying(1024) NOT NULL,
        realm character varying(127),
        details jsonb,
        client_address character varying(128),
        CONSTRAINT "PK_turnstone_audit_log" PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE TABLE turnstone_realm (
        name character varying(127) NOT NULL,
        description character varying(1000) NOT NULL DEFAULT '',
        created_at timestamp with time zone NOT NULL DEFAULT (now()),
        updated_at timestamp with time zone NOT NULL DEFAULT (now()),
        CONSTRAINT "PK_turnstone_realm" PRIMARY KEY (name)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE TABLE turnstone_relay_node (
        id character varying(64) NOT NULL,
        host_name character varying(255) NOT NULL,
        version character varying(64),
        started_at timestamp with time zone NOT NULL,
        last_seen_at timestamp with time zone NOT NULL,
        CONSTRAINT "PK_turnstone_relay_node" PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE TABLE turnstone_usage_minute (
        minute timestamp with time zone NOT NULL,
        node character varying(64) NOT NULL,
        realm character varying(127) NOT NULL,
        name character varying(512) NOT NULL,
        bytes_in bigint NOT NULL,
        bytes_out bigint NOT NULL,
        packets_in bigint NOT NULL,
        packets_out bigint NOT NULL,
        allocation_seconds double precision NOT NULL,
        CONSTRAINT "PK_turnstone_usage_minute" PRIMARY KEY (minute, node, realm, name)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE TABLE turnstone_admin_api_token (
        id bigint GENERATED ALWAYS AS IDENTITY,
        admin_name character varying(32) NOT NULL,
        label character varying(100) NOT NULL,
        prefix character varying(16) NOT NULL,
        token_hash bytea NOT NULL,
        created_at timestamp with time zone NOT NULL DEFAULT (now()),
        expires_at timestamp with time zone,
        last_used_at timestamp with time zone,
        revoked_at timestamp with time zone,
        CONSTRAINT "PK_turnstone_admin_api_token" PRIMARY KEY (id),
        CONSTRAINT "FK_turnstone_admin_api_token_admin_user_admin_name" FOREIGN KEY (admin_name) REFERENCES admin_user (name) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE INDEX ix_turnstone_admin_api_token_admin ON turnstone_admin_api_token (admin_name);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE UNIQUE INDEX ux_turnstone_admin_api_token_hash ON turnstone_admin_api_token (token_hash);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE INDEX ix_turnstone_audit_log_admin_at ON turnstone_audit_log (admin, at DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE INDEX ix_turnstone_audit_log_at ON turnstone_audit_log (at DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE INDEX ix_turnstone_audit_log_realm_at ON turnstone_audit_log (realm, at DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE INDEX ix_turnstone_usage_minute_realm ON turnstone_usage_minute (realm, minute);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE INDEX ix_turnstone_usage_minute_user ON turnstone_usage_minute (realm, name, minute);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    CREATE INDEX ix_turnusers_lt_userhash ON turnusers_lt (userhash);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    INSERT INTO turnstone_realm (name)
    SELECT DISTINCT realm FROM (
        SELECT realm FROM turnusers_lt UNION SELECT realm FROM turn_secret
        UNION SELECT realm FROM turn_realm_option UNION SELECT realm FROM turn_origin_to_realm) AS r
    WHERE realm IS NOT NULL AND realm <> ''
    ON CONFLICT (name) DO NOTHING;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261123191256_InitialSchema') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261123191256_InitialSchema', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261129225259_SecretCreatedAt') THEN
    ALTER TABLE turn_secret ADD created_at timestamp with time zone NOT NULL DEFAULT (now());
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261129225259_SecretCreatedAt') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261129225259_SecretCreatedAt', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261129225332_UsagePeriods') THEN
    CREATE TABLE turnstone_usage_period (
        granularity character varying(4) NOT NULL,
        period_start timestamp with time zone NOT NULL,
        realm character varying(127) NOT NULL,
        name character varying(512) NOT NULL,
        bytes_in bigint NOT NULL,
        bytes_out bigint NOT NULL,
        packets_in bigint NOT NULL,
        packets_out bigint NOT NULL,
        allocation_seconds double precision NOT NULL,
        CONSTRAINT "PK_turnstone_usage_period" PRIMARY KEY (granularity, period_start, realm, name),
        CONSTRAINT ck_turnstone_usage_period_granularity CHECK (granularity IN ('hour', 'day'))
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261129225332_UsagePeriods') THEN
    CREATE INDEX ix_turnstone_usage_period_realm ON turnstone_usage_period (realm, period_start);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261129225332_UsagePeriods') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261129225332_UsagePeriods', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261129231842_UserListIndexAndCount') THEN
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
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261129231842_UserListIndexAndCount') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261129231842_UserListIndexAndCount', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207120451_RealmHostNames') THEN
    CREATE TABLE turnstone_realm_host_name (
        host_name character varying(253) NOT NULL,
        realm character varying(127) NOT NULL,
        created_at timestamp with time zone NOT NULL DEFAULT (now()),
        CONSTRAINT "PK_turnstone_realm_host_name" PRIMARY KEY (host_name)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207120451_RealmHostNames') THEN
    CREATE INDEX ix_turnstone_realm_host_name_realm ON turnstone_realm_host_name (realm);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207120451_RealmHostNames') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207120451_RealmHostNames', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207120507_ChangePayloadJson') THEN
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
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207120507_ChangePayloadJson') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207120507_ChangePayloadJson', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207121736_AdminSessionEpoch') THEN
    ALTER TABLE admin_user ADD session_epoch integer NOT NULL DEFAULT 0;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207121736_AdminSessionEpoch') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207121736_AdminSessionEpoch', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207145257_NodeRegistry') THEN
    DROP TABLE turnstone_relay_node;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207145257_NodeRegistry') THEN
    CREATE TABLE turnstone_node (
        name character varying(64) NOT NULL,
        udp text[] NOT NULL,
        tcp text[] NOT NULL,
        tls text[] NOT NULL,
        internal_url character varying(2048),
        version character varying(64) NOT NULL,
        started_at timestamp with time zone NOT NULL,
        heartbeat_at timestamp with time zone NOT NULL,
        draining boolean NOT NULL,
        "full" boolean NOT NULL,
        allocations integer NOT NULL,
        bits_per_second_in double precision NOT NULL,
        bits_per_second_out double precision NOT NULL,
        certificate_expiry timestamp with time zone,
        CONSTRAINT "PK_turnstone_node" PRIMARY KEY (name)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207145257_NodeRegistry') THEN
    CREATE INDEX ix_turnstone_node_heartbeat_at ON turnstone_node (heartbeat_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207145257_NodeRegistry') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207145257_NodeRegistry', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207145424_ApiTokenScopes') THEN
    ALTER TABLE turnstone_admin_api_token ADD scope character varying(16) NOT NULL DEFAULT 'full';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207145424_ApiTokenScopes') THEN
    ALTER TABLE turnstone_admin_api_token ADD scope_realm character varying(127);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207145424_ApiTokenScopes') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207145424_ApiTokenScopes', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207145536_AdminPreferences') THEN
    ALTER TABLE admin_user ADD theme character varying(8);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207145536_AdminPreferences') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207145536_AdminPreferences', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207150951_ClusterUserCounts') THEN
    CREATE TABLE turnstone_cluster_quota_node (
        node character varying(64) NOT NULL,
        heartbeat_at timestamp with time zone NOT NULL,
        CONSTRAINT "PK_turnstone_cluster_quota_node" PRIMARY KEY (node)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207150951_ClusterUserCounts') THEN
    CREATE TABLE turnstone_cluster_user_count (
        node character varying(64) NOT NULL,
        realm character varying(127) NOT NULL,
        quota_user character varying(512) NOT NULL,
        allocations integer NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        CONSTRAINT "PK_turnstone_cluster_user_count" PRIMARY KEY (node, realm, quota_user)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207150951_ClusterUserCounts') THEN
    CREATE INDEX ix_turnstone_cluster_user_count_user ON turnstone_cluster_user_count (realm, quota_user);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207150951_ClusterUserCounts') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207150951_ClusterUserCounts', '10.0.15');
    END IF;
END $EF$;
COMMIT;

