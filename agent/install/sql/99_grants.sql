-- What the agent role may do: read the facts a pg_monitor role cannot, and
-- nothing else. Functions are SECURITY DEFINER, so EXECUTE is all it needs.
DO $grants$
DECLARE
  agent name := pg_catalog.current_setting('pgposture.agent_role');
BEGIN
  EXECUTE pg_catalog.format('GRANT pg_monitor, pg_read_all_settings TO %I', agent);
  REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgposture FROM PUBLIC;
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA pgposture TO %I', agent);
  EXECUTE pg_catalog.format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgposture TO %I', agent);
  EXECUTE pg_catalog.format('GRANT SELECT ON pgposture.installation TO %I', agent);
END
$grants$;
