// pgaudit checks: is it loaded, created, and logging what production needs
// for every login role.
#include <string>

#include "agent/eval/checks_area.h"

namespace pgposture {
namespace {

// Roles whose sessions escape `audited`, or Unknown when coverage was not read.
CheckOutcome EveryLoginRole(const v1::DatabasePosture& posture, const char* what,
                            bool (*audited)(const v1::PgauditRoleCoverage&)) {
  const v1::PgauditFacts& pgaudit = posture.pgaudit();
  if (!pgaudit.has_loaded()) return Unknown("pgaudit facts were not collected");
  if (!pgaudit.loaded()) return Fail("pgaudit is not loaded, so nothing is audited");
  std::string missing;
  std::string unknown;
  for (const v1::PgauditRoleCoverage& role : pgaudit.coverage()) {
    if (role.source() == v1::PGAUDIT_SOURCE_UNSPECIFIED) {
      unknown += (unknown.empty() ? "" : ", ") + role.role();
    } else if (!audited(role)) {
      missing += (missing.empty() ? "" : ", ") + role.role();
    }
  }
  if (!missing.empty()) return Fail(std::string(what) + " not audited for login roles: " + missing);
  if (!unknown.empty()) {
    return Unknown("effective pgaudit.log unknown for login roles: " + unknown +
                   " (the agent's role overrides pgaudit.log)");
  }
  return Pass();
}

}  // namespace

void AddPgauditChecks(std::vector<Check>& checks) {
  checks.push_back(
      {"pgaudit.loaded", "pgaudit is loaded through shared_preload_libraries", v1::SEVERITY_CRITICAL,
       v1::MATURITY_LEVEL_PRODUCTION, "add pgaudit to shared_preload_libraries and restart the server",
       [](const v1::DatabasePosture& p) {
         if (!p.pgaudit().has_loaded()) return Unknown("pgaudit facts were not collected");
         return p.pgaudit().loaded() ? Pass() : Fail("pgaudit is not in shared_preload_libraries");
       }});
  checks.push_back({"pgaudit.extension_created", "the pgaudit extension is created in the database",
                    v1::SEVERITY_WARNING, v1::MATURITY_LEVEL_PRODUCTION,
                    "run CREATE EXTENSION pgaudit in this database, so DDL is logged with object names",
                    [](const v1::DatabasePosture& p) {
                      const v1::PgauditFacts& pgaudit = p.pgaudit();
                      if (!pgaudit.has_extension_created())
                        return Unknown("pgaudit facts were not collected");
                      if (!pgaudit.extension_created()) return Fail("extension pgaudit is not created");
                      if (!pgaudit.event_triggers_enabled()) {
                        return Fail("pgaudit's event triggers are missing or disabled");
                      }
                      return Pass();
                    }});
  checks.push_back({"pgaudit.logs_ddl_and_role", "pgaudit logs DDL and ROLE statements of every login role",
                    v1::SEVERITY_CRITICAL, v1::MATURITY_LEVEL_PRODUCTION,
                    "set pgaudit.log to include ddl and role (e.g. 'ddl, role, write') and remove "
                    "ALTER ROLE/DATABASE ... SET pgaudit.log overrides that turn them off",
                    [](const v1::DatabasePosture& p) {
                      return EveryLoginRole(p, "DDL and ROLE statements are",
                                            [](const v1::PgauditRoleCoverage& r) {
                                              return r.ddl_audited() && r.role_audited();
                                            });
                    }});
  checks.push_back({"pgaudit.agent_role_clean", "the agent's role carries no pgaudit overrides",
                    v1::SEVERITY_WARNING, v1::MATURITY_LEVEL_PRODUCTION,
                    "remove them: ALTER ROLE <agent role> RESET ALL (pgaudit.* overrides make what "
                    "the agent reads differ from what other sessions get)",
                    [](const v1::DatabasePosture& p) {
                      const v1::PgauditFacts& pgaudit = p.pgaudit();
                      if (!pgaudit.has_agent_role_has_overrides()) {
                        return Unknown("pgaudit facts were not collected");
                      }
                      return pgaudit.agent_role_has_overrides()
                                 ? Fail("the agent's role has ALTER ROLE ... SET pgaudit.* overrides")
                                 : Pass();
                    }});
  checks.push_back(
      {"pgaudit.logs_write", "pgaudit logs WRITE statements of every login role", v1::SEVERITY_WARNING,
       v1::MATURITY_LEVEL_ENTERPRISE, "add write to pgaudit.log", [](const v1::DatabasePosture& p) {
         return EveryLoginRole(p, "WRITE statements are",
                               [](const v1::PgauditRoleCoverage& r) { return r.write_audited(); });
       }});
}

}  // namespace pgposture
