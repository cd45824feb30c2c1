-- Password kinds for the roles collector: pg_authid is readable by superusers
-- only, and a pg_monitor role sees rolpassword as '********'. The hash never
-- leaves this function, only which kind of secret it is. PL/pgSQL keeps
-- the query's plan for the session; a SQL function with SET options is
-- planned again at every call, every cycle.
CREATE OR REPLACE FUNCTION pgposture.role_passwords()
RETURNS TABLE (role_name name, password_kind text, valid_until timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
  RETURN QUERY
  SELECT a.rolname,
         CASE
           WHEN a.rolpassword IS NULL THEN 'none'
           WHEN a.rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'scram-sha-256'
           WHEN a.rolpassword ~ '^md5[0-9a-f]{32}$' THEN 'md5'
           ELSE 'plaintext'
         END,
         a.rolvaliduntil
    FROM pg_catalog.pg_authid a;
END
$function$;
REVOKE ALL ON FUNCTION pgposture.role_passwords() FROM PUBLIC;
