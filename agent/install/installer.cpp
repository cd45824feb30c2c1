#include "agent/install/installer.h"

#include <pqxx/pqxx>

#include "agent/install/install_sql.h"

namespace pgposture {
namespace {

// Concurrent installs into one database queue up instead of failing half-way.
constexpr const char* kLockSql =
    "SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pgposture install'))";

void RequireSuperuser(pqxx::work& transaction) {
  const pqxx::row row = transaction.exec1(
      "SELECT current_user::text, rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user");
  if (!row[1].as<bool>()) {
    throw InstallError("install needs a superuser: role \"" + row[0].as<std::string>() +
                       "\" is not one (pgposture's event triggers and its SECURITY DEFINER functions "
                       "must belong to a superuser); connect as one, e.g. user=postgres");
  }
}

void RequireAgentRole(pqxx::work& transaction, const std::string& agent_role) {
  const pqxx::result role =
      transaction.exec_params("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = $1", agent_role);
  if (role.empty()) {
    throw InstallError("role \"" + agent_role + "\" does not exist; create the agent's login role first: " +
                       "CREATE ROLE " + transaction.quote_name(agent_role) + " LOGIN PASSWORD '...'");
  }
  if (role[0][0].as<bool>()) {
    throw InstallError("role \"" + agent_role +
                       "\" is a superuser; the agent must run as a plain login role: "
                       "ALTER ROLE " +
                       transaction.quote_name(agent_role) + " NOSUPERUSER");
  }
}

// The install's own DDL (grants, functions) is not a change to report. Event
// triggers are catalog rows: disabled inside this transaction, they stay
// enabled for every other session until it commits, and it commits with
// them enabled again.
constexpr const char* kPauseCaptureSql = R"sql(
DO $pause$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = 'pgposture_ddl_command_end') THEN
    ALTER EVENT TRIGGER pgposture_ddl_command_end DISABLE;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = 'pgposture_sql_drop') THEN
    ALTER EVENT TRIGGER pgposture_sql_drop DISABLE;
  END IF;
END
$pause$)sql";

// ALWAYS: they fire under session_replication_role = replica too. This also
// re-enables triggers someone had disabled.
constexpr const char* kResumeCaptureSql =
    "ALTER EVENT TRIGGER pgposture_ddl_command_end ENABLE ALWAYS; "
    "ALTER EVENT TRIGGER pgposture_sql_drop ENABLE ALWAYS";

int InstalledVersion(pqxx::work& transaction) {
  if (transaction.exec1("SELECT pg_catalog.to_regclass('pgposture.installation') IS NULL")[0].as<bool>()) {
    return 0;
  }
  const pqxx::result row = transaction.exec("SELECT version FROM pgposture.installation");
  return row.empty() ? 0 : row[0][0].as<int>();
}

}  // namespace

// Registers configured history tables and attaches the history-write
// trigger to every history table that exists now.
void AddHistoryTables(pqxx::work& transaction, const std::vector<std::string>& history_tables) {
  for (const std::string& name : history_tables) {
    const size_t dot = name.find('.');
    transaction.exec_params(
        "INSERT INTO pgposture.history_tables (schema_name, table_name, tool) VALUES ($1, $2, 'configured') "
        "ON CONFLICT DO NOTHING",
        dot == std::string::npos ? "" : name.substr(0, dot),
        dot == std::string::npos ? name : name.substr(dot + 1));
  }
  transaction.exec(
      "SELECT pgposture.internal_attach_history_trigger(c.oid) FROM pg_catalog.pg_class c "
      "WHERE pgposture.internal_is_history_table(c.oid)");
}

InstallResult Install(const std::string& conninfo, const std::string& agent_role,
                      const std::vector<std::string>& history_tables) {
  pqxx::connection connection(conninfo);
  pqxx::work transaction(connection);
  RequireSuperuser(transaction);
  RequireAgentRole(transaction, agent_role);
  transaction.exec(kLockSql);

  InstallResult result;
  result.database = connection.dbname();
  result.previous_version = InstalledVersion(transaction);
  result.version = kInstallVersion;
  if (result.previous_version > kInstallVersion) {
    throw InstallError("database \"" + result.database + "\" has pgposture objects of version " +
                       std::to_string(result.previous_version) + ", newer than this pgposture's " +
                       std::to_string(kInstallVersion) + "; install with that newer version");
  }
  transaction.exec_params("SELECT pg_catalog.set_config('pgposture.agent_role', $1, true)", agent_role);
  // Pinned for the install itself, so no object of the database's own can
  // stand in for a catalog name the SQL uses.
  transaction.exec("SET LOCAL search_path = pg_catalog, pg_temp");
  transaction.exec(kPauseCaptureSql);
  for (const InstallSqlFile& file : InstallSqlFiles()) {
    try {
      transaction.exec(file.sql);
    } catch (const pqxx::sql_error& error) {
      throw InstallError("install step " + file.name + " failed: " + error.what());
    }
  }
  AddHistoryTables(transaction, history_tables);
  transaction.exec_params(
      "INSERT INTO pgposture.installation (version, agent_role) VALUES ($1, $2) "
      "ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version, agent_role = EXCLUDED.agent_role, "
      "installed_at = CASE WHEN pgposture.installation.version = EXCLUDED.version "
      "THEN pgposture.installation.installed_at ELSE pg_catalog.now() END",
      kInstallVersion, agent_role);
  transaction.exec(kResumeCaptureSql);
  transaction.commit();
  return result;
}

UninstallResult Uninstall(const std::string& conninfo) {
  pqxx::connection connection(conninfo);
  pqxx::work transaction(connection);
  RequireSuperuser(transaction);
  transaction.exec(kLockSql);
  UninstallResult result;
  result.database = connection.dbname();
  result.removed = !transaction.exec1("SELECT pg_catalog.to_regnamespace('pgposture') IS NULL")[0].as<bool>();
  // CASCADE takes the event triggers and row triggers along: their
  // functions live in the schema.
  transaction.exec("DROP SCHEMA IF EXISTS pgposture CASCADE");
  transaction.commit();
  return result;
}

}  // namespace pgposture
