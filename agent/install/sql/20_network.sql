-- pg_hba.conf as the server parses it, for the network collector:
-- pg_hba_file_rules is readable by superusers only. The options column is
-- left out, as it may hold secrets such as ldapbindpasswd. PL/pgSQL, as
-- role_passwords(), so that it is not planned at every call.
CREATE OR REPLACE FUNCTION pgposture.hba_rules()
RETURNS TABLE (line_number integer, type text, database text[], user_name text[], address text,
               netmask text, auth_method text, error text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
  RETURN QUERY
  SELECT r.line_number, r.type, r.database, r.user_name, r.address, r.netmask, r.auth_method, r.error
    FROM pg_catalog.pg_hba_file_rules r;
END
$function$;
REVOKE ALL ON FUNCTION pgposture.hba_rules() FROM PUBLIC;
