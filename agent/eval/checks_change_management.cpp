// Collaborating-level checks: changes go through migrations and DDL is seen.
#include "agent/eval/checks_area.h"

namespace pgposture {

void AddChangeManagementChecks(std::vector<Check>& checks) {
  checks.push_back({"migrations.history_table_exists", "a migration tool's history table exists",
                    v1::SEVERITY_WARNING, v1::MATURITY_LEVEL_COLLABORATING,
                    "manage the schema with a migration tool (flyway, liquibase, alembic, "
                    "supabase migrations, ...) and apply every change through it",
                    [](const v1::DatabasePosture& p) {
                      if (!p.has_migrations()) return Unknown("migration history was not collected");
                      return p.migrations().tables_size() > 0
                                 ? Pass()
                                 : Fail("no known migration-history table in this database");
                    }});
  checks.push_back({"ddl.capture_enabled", "DDL capture is installed and enabled", v1::SEVERITY_WARNING,
                    v1::MATURITY_LEVEL_COLLABORATING,
                    "run pgposture install --dsn ... as a superuser, and keep its event triggers enabled",
                    [](const v1::DatabasePosture& p) {
                      const v1::DdlFacts& ddl = p.ddl();
                      if (!ddl.has_capture_installed()) return Unknown("DDL capture was not read");
                      if (!ddl.capture_installed())
                        return Fail("pgposture's event triggers are not installed");
                      if (!ddl.capture_enabled()) return Fail("pgposture's event triggers are disabled");
                      return Pass();
                    }});
}

}  // namespace pgposture
