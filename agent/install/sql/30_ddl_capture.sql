-- Out-of-band DDL capture: every DDL command of every role is recorded by
-- event triggers into pgposture.ddl_events, and every write to a
-- migration-history table records its transaction in
-- pgposture.history_writes, so the agent can tell migrations from changes
-- made by hand. Nobody but the installer can write either table: the
-- recording functions are SECURITY DEFINER and return trigger types, which
-- cannot be called directly. The agent may only read them.

CREATE TABLE IF NOT EXISTS pgposture.ddl_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  transaction_id xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
  command_tag text NOT NULL,
  object_type text,
  schema_name text,
  object_identity text,
  -- Created by CREATE EXTENSION, or in a temporary schema: never alerts.
  in_extension boolean NOT NULL DEFAULT false,
  is_temporary boolean NOT NULL DEFAULT false,
  session_user_name text NOT NULL DEFAULT session_user,
  current_user_name text NOT NULL,
  application_name text,
  client_addr inet DEFAULT pg_catalog.inet_client_addr(),
  backend_pid integer NOT NULL DEFAULT pg_catalog.pg_backend_pid(),
  statement text,
  change_source text
);
CREATE INDEX IF NOT EXISTS ddl_events_transaction_id ON pgposture.ddl_events (transaction_id);
REVOKE ALL ON pgposture.ddl_events FROM PUBLIC;

CREATE TABLE IF NOT EXISTS pgposture.history_writes (
  transaction_id xid8 PRIMARY KEY,
  table_name text NOT NULL,
  written_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
REVOKE ALL ON pgposture.history_writes FROM PUBLIC;

-- Bumped when recording fails; sequences are not rolled back, so the count
-- survives the failed subtransaction.
CREATE SEQUENCE IF NOT EXISTS pgposture.capture_failures;
REVOKE ALL ON pgposture.capture_failures FROM PUBLIC;

-- Migration-history tables by name; schema '' matches any schema.
CREATE TABLE IF NOT EXISTS pgposture.history_tables (
  schema_name text NOT NULL DEFAULT '',
  table_name text NOT NULL,
  tool text NOT NULL,
  PRIMARY KEY (schema_name, table_name)
);
REVOKE ALL ON pgposture.history_tables FROM PUBLIC;
INSERT INTO pgposture.history_tables (schema_name, table_name, tool) VALUES
  ('supabase_migrations', 'schema_migrations', 'supabase'),
  ('', 'flyway_schema_history', 'flyway'),
  ('', 'databasechangelog', 'liquibase'),
  ('', 'schema_migrations', 'schema_migrations'),
  ('', 'alembic_version', 'alembic'),
  ('', '_prisma_migrations', 'prisma'),
  ('', 'knex_migrations', 'knex'),
  ('', 'django_migrations', 'django'),
  ('sqitch', 'changes', 'sqitch'),
  ('', 'goose_db_version', 'goose'),
  ('', 'atlas_schema_revisions', 'atlas'),
  ('drizzle', '__drizzle_migrations', 'drizzle')
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION pgposture.internal_is_history_table(rel oid) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pgposture.history_tables h
        ON h.table_name = c.relname AND h.schema_name IN ('', n.nspname)
     WHERE c.oid = rel AND c.relkind IN ('r', 'p'));
END
$$;

CREATE OR REPLACE FUNCTION pgposture.record_history_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  BEGIN
    INSERT INTO pgposture.history_writes (transaction_id, table_name)
    VALUES (pg_catalog.pg_current_xact_id(), pg_catalog.format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME))
    ON CONFLICT DO NOTHING;
  EXCEPTION WHEN OTHERS THEN
    -- Recording must never make the migration fail.
    PERFORM pg_catalog.nextval('pgposture.capture_failures');
    RAISE WARNING 'pgposture: migration-history write not recorded: %', SQLERRM;
  END;
  RETURN NULL;
END
$$;

-- Attaches the history-write trigger to a migration-history table. The
-- CREATE TRIGGER it runs is pgposture's own and is not recorded.
CREATE OR REPLACE FUNCTION pgposture.internal_attach_history_trigger(rel oid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  EXECUTE pg_catalog.format(
    'CREATE OR REPLACE TRIGGER pgposture_history_write AFTER INSERT OR UPDATE OR DELETE ON %s '
    'FOR EACH STATEMENT EXECUTE FUNCTION pgposture.record_history_write()', rel::regclass);
END
$$;
REVOKE ALL ON FUNCTION pgposture.internal_attach_history_trigger(oid) FROM PUBLIC;

-- What a DDL event records of the session that ran it, for every object of
-- one statement at once. An INSERT per object, each in a subtransaction of
-- its own, cost the user's DDL more than its own work: 1,000 statements that
-- create, alter and drop tables took 2.3 to 2.7 times as long as without
-- capture, against 1.5 times with one INSERT. The arrays are the objects'
-- columns, in step.
DROP FUNCTION IF EXISTS pgposture.internal_insert_ddl_event(text, text, text, text, boolean, boolean);
CREATE OR REPLACE FUNCTION pgposture.internal_insert_ddl_events(
  tags text[], object_types text[], schema_names text[], object_identities text[],
  in_extension boolean[], is_temporary boolean[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO pgposture.ddl_events (command_tag, object_type, schema_name, object_identity,
                                    in_extension, is_temporary, current_user_name,
                                    application_name, statement, change_source)
  SELECT o.tag, o.object_type, o.schema_name, o.object_identity, o.in_extension, o.is_temporary,
         -- Inside this SECURITY DEFINER function current_user is its owner;
         -- the role the session runs as is in the `role` setting.
         CASE pg_catalog.current_setting('role') WHEN 'none' THEN session_user::text
              ELSE pg_catalog.current_setting('role') END,
         pg_catalog.current_setting('application_name'),
         -- Statements that may carry credentials are not kept.
         CASE WHEN o.tag ~ '(USER MAPPING|SERVER|SUBSCRIPTION)$' THEN NULL
              ELSE pg_catalog.left(pg_catalog.current_query(), 1000) END,
         NULLIF(pg_catalog.current_setting('pgposture.change_source', true), '')
    FROM ROWS FROM (pg_catalog.unnest(tags), pg_catalog.unnest(object_types), pg_catalog.unnest(schema_names),
                    pg_catalog.unnest(object_identities), pg_catalog.unnest(in_extension),
                    pg_catalog.unnest(is_temporary))
         AS o(tag, object_type, schema_name, object_identity, in_extension, is_temporary)
   -- pgposture's own objects and triggers are not the audited schema.
   WHERE o.schema_name IS DISTINCT FROM 'pgposture'
     AND NOT coalesce(o.object_type = 'trigger' AND o.object_identity LIKE 'pgposture\_history\_write on %', false);
END
$$;
REVOKE ALL ON FUNCTION pgposture.internal_insert_ddl_events(text[], text[], text[], text[], boolean[], boolean[])
  FROM PUBLIC;

-- A failure to record must never fail the user's DDL: it is counted and
-- warned about, and the statement's events are lost.
CREATE OR REPLACE FUNCTION pgposture.capture_ddl_command_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tags text[];
  object_types text[];
  schema_names text[];
  identities text[];
  in_extension boolean[];
  is_temporary boolean[];
  -- Migration-history candidates: tables created now.
  created_tables oid[];
  created_names text[];
BEGIN
  BEGIN
    -- One pass over the statement's commands, which the server describes
    -- anew (identities looked up) at every call.
    SELECT pg_catalog.array_agg(c.command_tag), pg_catalog.array_agg(c.object_type),
           pg_catalog.array_agg(c.schema_name), pg_catalog.array_agg(c.object_identity),
           pg_catalog.array_agg(c.in_extension),
           pg_catalog.array_agg(coalesce(c.schema_name LIKE 'pg\_temp%', false)),
           pg_catalog.array_agg(c.objid) FILTER (WHERE c.creates_table),
           pg_catalog.array_agg(c.object_identity) FILTER (WHERE c.creates_table)
      INTO tags, object_types, schema_names, identities, in_extension, is_temporary,
           created_tables, created_names
      FROM (SELECT d.*, d.object_type = 'table' AND d.command_tag = 'CREATE TABLE'
                        AND d.schema_name IS DISTINCT FROM 'pgposture' AS creates_table
              FROM pg_catalog.pg_event_trigger_ddl_commands() d) c;
    PERFORM pgposture.internal_insert_ddl_events(tags, object_types, schema_names, identities,
                                                 in_extension, is_temporary);
  EXCEPTION WHEN OTHERS THEN
    PERFORM pg_catalog.nextval('pgposture.capture_failures');
    RAISE WARNING 'pgposture: DDL event not recorded (%): %', TG_TAG, SQLERRM;
  END;
  -- A migration-history table created now: its creating transaction is a
  -- migration, and its later writes must be seen. The variables keep what
  -- was read even when the recording above failed.
  FOR i IN 1 .. coalesce(pg_catalog.array_length(created_tables, 1), 0) LOOP
    BEGIN
      IF pgposture.internal_is_history_table(created_tables[i]) THEN
        PERFORM pgposture.internal_attach_history_trigger(created_tables[i]);
        INSERT INTO pgposture.history_writes (transaction_id, table_name)
        VALUES (pg_catalog.pg_current_xact_id(), created_names[i])
        ON CONFLICT DO NOTHING;
      END IF;
    EXCEPTION WHEN OTHERS THEN
      PERFORM pg_catalog.nextval('pgposture.capture_failures');
      RAISE WARNING 'pgposture: migration-history table not tracked (%): %', created_names[i], SQLERRM;
    END;
  END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION pgposture.capture_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- Objects an extension script drops (CREATE/ALTER EXTENSION replace their
  -- members) belong to the extension. pg_event_trigger_dropped_objects()
  -- does not say so: a statement that is one extension command does.
  PERFORM pgposture.internal_insert_ddl_events(
            pg_catalog.array_agg(TG_TAG), pg_catalog.array_agg(d.object_type),
            pg_catalog.array_agg(d.schema_name), pg_catalog.array_agg(d.object_identity),
            pg_catalog.array_agg(d.object_type <> 'extension'
              AND pg_catalog.current_query() ~* '^\s*(create|alter|drop)\s+extension\s[^;]*;?\s*$'),
            pg_catalog.array_agg(d.is_temporary))
     FROM pg_catalog.pg_event_trigger_dropped_objects() d;
EXCEPTION WHEN OTHERS THEN
  PERFORM pg_catalog.nextval('pgposture.capture_failures');
  RAISE WARNING 'pgposture: dropped objects not recorded (%): %', TG_TAG, SQLERRM;
END
$$;

DO $triggers$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = 'pgposture_ddl_command_end') THEN
    CREATE EVENT TRIGGER pgposture_ddl_command_end ON ddl_command_end
      EXECUTE FUNCTION pgposture.capture_ddl_command_end();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = 'pgposture_sql_drop') THEN
    CREATE EVENT TRIGGER pgposture_sql_drop ON sql_drop EXECUTE FUNCTION pgposture.capture_sql_drop();
  END IF;
  -- Off for the rest of the install transaction, so that the install's own
  -- DDL is not recorded; the installer enables them as its last step.
  ALTER EVENT TRIGGER pgposture_ddl_command_end DISABLE;
  ALTER EVENT TRIGGER pgposture_sql_drop DISABLE;
END
$triggers$;

-- The agent reads these tables itself (SELECT, granted in 99_grants.sql):
-- a statement of its own costs less server time than a SECURITY DEFINER
-- function call, once per database per cycle. Installs before version 2
-- read them through this function.
DROP FUNCTION IF EXISTS pgposture.ddl_capture(xid8);
