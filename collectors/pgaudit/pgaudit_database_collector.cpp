#include "collectors/pgaudit/pgaudit_database_collector.h"

#include "collectors/pgaudit/pgaudit_coverage.h"
#include "collectors/pgaudit/pgaudit_log.h"

namespace pgposture {
namespace {

// pg_db_role_setting is a shared catalog, but only rows for this database or
// for all databases matter here. This database's oid comes from one index
// lookup, not a join with pg_database: that catalog holds a row per database
// of the cluster, and a join made each database's collection cost grow with
// the fleet. Role names come from pg_roles, readable by any role, unlike
// pg_authid.
constexpr const char* kQuery = R"SQL(
SELECT 'extension' AS kind, e.extversion::text AS a, NULL::text AS b, NULL::text AS c
  FROM pg_catalog.pg_extension e
 WHERE e.extname = 'pgaudit'
UNION ALL
SELECT 'event_trigger', t.evtname::text, t.evtenabled::text, NULL
  FROM pg_catalog.pg_event_trigger t
 WHERE t.evtname IN ('pgaudit_ddl_command_end', 'pgaudit_sql_drop')
UNION ALL
SELECT 'session', pg_catalog.current_setting('shared_preload_libraries'),
       pg_catalog.current_setting('pgaudit.log', true), NULL
UNION ALL
SELECT 'override', coalesce(r.rolname::text, ''),
       CASE WHEN s.setdatabase = 0 THEN '' ELSE pg_catalog.current_database()::text END, cfg
  FROM pg_catalog.pg_db_role_setting s
  LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
 CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) AS cfg
 WHERE s.setdatabase IN (0, (SELECT d.oid FROM pg_catalog.pg_database d
                              WHERE d.datname = pg_catalog.current_database()))
   AND cfg LIKE 'pgaudit.%'
UNION ALL
SELECT 'login_role', r.rolname::text, r.rolsuper::text, NULL
  FROM pg_catalog.pg_roles r
 WHERE r.rolcanlogin
)SQL";

constexpr int kPgauditEventTriggers = 2;

// "name=value" as stored in pg_db_role_setting.setconfig.
void SplitSetting(const std::string& entry, v1::PgauditOverride& override_row) {
  const size_t equals = entry.find('=');
  override_row.set_setting(entry.substr(0, equals));
  override_row.set_value(equals == std::string::npos ? "" : entry.substr(equals + 1));
}

}  // namespace

void ParsePgauditDatabaseRows(const TaggedRows& rows, const std::string& database,
                              const std::string& agent_role, v1::PgauditFacts& facts) {
  CoverageInputs inputs;
  inputs.database = database;
  inputs.agent_role = agent_role;
  int enabled_triggers = 0;
  facts.set_extension_created(false);
  for (const TaggedRow& row : rows) {
    if (row.kind == "extension") {
      facts.set_extension_created(true);
      facts.set_extension_version(row.a.value_or(""));
    } else if (row.kind == "event_trigger") {
      // evtenabled: O origin, R replica, A always, D disabled.
      if (row.b.value_or("D") != "D") ++enabled_triggers;
    } else if (row.kind == "session") {
      inputs.loaded = PreloadsPgaudit(row.a.value_or(""));
      inputs.agent_session_log = row.b;
    } else if (row.kind == "override") {
      v1::PgauditOverride& override_row = inputs.overrides.emplace_back();
      override_row.set_role(row.a.value_or(""));
      override_row.set_database(row.b.value_or(""));
      SplitSetting(row.c.value_or(""), override_row);
    } else if (row.kind == "login_role") {
      inputs.login_roles.push_back({row.a.value_or(""), IsTrue(row.b)});
    }
  }
  facts.set_event_triggers_enabled(enabled_triggers == kPgauditEventTriggers);
  facts.set_agent_role_has_overrides(AgentRoleHasOverrides(inputs));
  for (const v1::PgauditOverride& override_row : inputs.overrides) *facts.add_overrides() = override_row;
  for (v1::PgauditRoleCoverage& entry : ComputeCoverage(inputs)) *facts.add_coverage() = std::move(entry);
}

TaggedQuery PgauditDatabaseCollector::FirstQuery() const { return kQuery; }

void PgauditDatabaseCollector::Collect(Session& session, v1::DatabasePosture& posture) {
  ParsePgauditDatabaseRows(session.QueryRows(kQuery), session.database(), session.user(),
                           *posture.mutable_pgaudit());
}

}  // namespace pgposture
