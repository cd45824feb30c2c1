#include "collectors/installed_function.h"

#include <algorithm>

namespace pgposture {
namespace {

bool ServerRowSaysCallable(const TaggedRows& rows) {
  const auto server =
      std::find_if(rows.begin(), rows.end(), [](const TaggedRow& row) { return row.kind == "server"; });
  return server != rows.end() && IsTrue(server->c);
}

}  // namespace

std::string InstalledFunctionCte(InstalledCall form, std::string_view function, std::string_view query) {
  if (form == InstalledCall::kDirect) return "SELECT NULL::pg_catalog.xml AS doc, true AS callable";
  // Looked up in pg_proc rather than with to_regprocedure, which raises
  // "permission denied for schema" for a role without USAGE on it.
  return std::string(
             "SELECT d.doc, d.doc IS NOT NULL AS callable FROM (SELECT CASE WHEN EXISTS ("
             "SELECT FROM pg_catalog.pg_proc p"
             " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
             " WHERE n.nspname = 'pgposture' AND p.pronargs = 0 AND p.proname = '")
      .append(function)
      .append(
          "' AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')"
          " AND pg_catalog.has_function_privilege(p.oid, 'EXECUTE'))"
          " THEN pg_catalog.query_to_xml($installed$")
      .append(query)
      .append("$installed$, false, false, '') END AS doc) AS d");
}

// undefined_function, undefined_table, invalid_schema_name: the install was
// removed. A grant revoked (on the function, the table or the schema):
// libpqxx 6.4 throws insufficient_privilege without its SQLSTATE (42501), so
// it is told by its type.
bool IsInstallOrGrantGone(const pqxx::sql_error& error) {
  const std::string state = error.sqlstate();
  return state == "42883" || state == "42P01" || state == "3F000" ||
         dynamic_cast<const pqxx::insufficient_privilege*>(&error) != nullptr;
}

TaggedRows InstalledFunctionReader::Read(Session& session) {
  TaggedRows rows;
  try {
    rows = session.QueryRows(statement());
  } catch (const pqxx::sql_error& error) {
    if (form_ != InstalledCall::kDirect || !session.is_open() || !IsInstallOrGrantGone(error)) throw;
    form_ = InstalledCall::kGuarded;
    rows = session.QueryRows(statement());
  }
  form_ = ServerRowSaysCallable(rows) ? InstalledCall::kDirect : InstalledCall::kGuarded;
  return rows;
}

}  // namespace pgposture
