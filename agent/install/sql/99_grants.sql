-- What the agent role may do: read the facts a pg_monitor role cannot, and
-- nothing else. Functions are SECURITY DEFINER, so EXECUTE is all it needs;
-- what the DDL capture recorded it reads with SELECT.
-- Functions named internal_* are helpers of pgposture's own triggers and are
-- not granted; trigger functions cannot be called directly anyway.
DO $grants$
DECLARE
  agent name := pg_catalog.current_setting('pgposture.agent_role');
  reader regprocedure;
BEGIN
  EXECUTE pg_catalog.format('GRANT pg_monitor, pg_read_all_settings TO %I', agent);
  REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgposture FROM PUBLIC;
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA pgposture TO %I', agent);
  EXECUTE pg_catalog.format('GRANT SELECT ON pgposture.installation, pgposture.ddl_events, '
                             'pgposture.history_writes, pgposture.capture_failures TO %I', agent);
  FOR reader IN
    SELECT p.oid::regprocedure
      FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = 'pgposture'::regnamespace
       AND p.proname NOT LIKE 'internal\_%'
       AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
  LOOP
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO %I', reader, agent);
  END LOOP;
END
$grants$;
