// Collaborating-level checks: changes go through migrations and DDL is seen.
#include <string>

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
  checks.push_back({"ddl.no_out_of_band_changes", "no schema change outside a migration within the window",
                    v1::SEVERITY_CRITICAL, v1::MATURITY_LEVEL_PRODUCTION,
                    "make every schema change a migration in version control, applied from CI or a bastion "
                    "host; configure policy.ddl so that your migration tool's sessions are recognised",
                    [](const v1::DatabasePosture& p) {
                      const v1::DdlFacts& ddl = p.ddl();
                      if (!ddl.capture_installed()) return Unknown("DDL capture is not installed");
                      if (ddl.out_of_band_in_window() == 0) return Pass();
                      const v1::DdlEvent& last = ddl.last_out_of_band();
                      return Fail(std::to_string(ddl.out_of_band_in_window()) +
                                  " out-of-band change(s) in the window; latest: " + last.command_tag() +
                                  " " + last.object_identity() + " by " + last.session_user() + " from " +
                                  last.source() + " (" + last.application_name() + ")");
                    }});
}

}  // namespace pgposture
