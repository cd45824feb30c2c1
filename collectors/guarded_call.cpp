#include "collectors/guarded_call.h"

#include <algorithm>

namespace pgposture {

std::string InstalledFunctionCte(CallForm form, std::string_view function, std::string_view query) {
  if (form == CallForm::kDirect) return "SELECT NULL::pg_catalog.xml AS doc, true AS callable";
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

TaggedQuery GuardedCallReader::statement(const std::vector<std::string>& direct_params) const {
  if (form_ == CallForm::kDirect) return {forms_(form_), direct_params};
  return forms_(form_);
}

TaggedRows GuardedCallReader::Read(Session& session, const std::vector<std::string>& direct_params) {
  TaggedRows rows;
  try {
    rows = session.QueryRows(statement(direct_params));
  } catch (const pqxx::sql_error& error) {
    if (form_ != CallForm::kDirect || !session.is_open() || !IsInstallOrGrantGone(error)) throw;
    form_ = CallForm::kGuarded;
    rows = session.QueryRows(statement());
  }
  const auto says = std::find_if(rows.begin(), rows.end(),
                                 [this](const TaggedRow& row) { return row.kind == callable_row_; });
  form_ = says != rows.end() && IsTrue(says->c) ? CallForm::kDirect : CallForm::kGuarded;
  return rows;
}

}  // namespace pgposture
