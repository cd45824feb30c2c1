#include "collectors/installed_function.h"

namespace pgposture {

std::string InstalledFunctionRows(std::string_view function, std::string_view query) {
  // Looked up in pg_proc rather than with to_regprocedure, which raises
  // "permission denied for schema" for a role without USAGE on it.
  return std::string(
             "CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_proc p"
             " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
             " WHERE n.nspname = 'pgposture' AND p.pronargs = 0 AND p.proname = '")
      .append(function)
      .append(
          "' AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')"
          " AND pg_catalog.has_function_privilege(p.oid, 'EXECUTE'))"
          " THEN pg_catalog.query_to_xml($installed$")
      .append(query)
      .append("$installed$, false, false, '') END");
}

}  // namespace pgposture
