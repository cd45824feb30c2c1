// Checks across environments: prod changes went through staging first.
#include <string>

#include "agent/eval/checks_area.h"

namespace pgposture {
namespace {

// Versions shown in a finding per table; the snapshot holds more.
constexpr int kShownVersions = 10;

std::string UnreleasedText(const v1::EnvironmentFlow& flow) {
  std::string text;
  for (const v1::UnreleasedMigrations& table : flow.unreleased()) {
    if (!text.empty()) text += "; ";
    text += table.tool() + " " + table.table() + ":";
    for (int i = 0; i < table.versions_size() && i < kShownVersions; ++i) text += " " + table.versions(i);
    if (table.versions_size() > kShownVersions) {
      text += " and " + std::to_string(table.versions_size() - kShownVersions) + " more";
    }
  }
  return text;
}

CheckOutcome FlowsThroughStaging(const v1::DatabasePosture& p) {
  if (!p.has_environment_flow()) return Unknown("not compared with staging yet");
  if (p.environment() != "prod") return Pass();
  const v1::EnvironmentFlow& flow = p.environment_flow();
  // Without a staging sibling there is nothing to compare with; having one
  // is the enterprise check environments.staging_sibling.
  if (flow.staging_databases_size() == 0) return Pass();
  if (flow.unreleased_size() > 0) {
    return Fail("applied here but never in staging (" + Join(flow.staging_databases(), ", ") +
                "): " + UnreleasedText(flow));
  }
  if (!flow.incomplete().empty()) return Unknown(flow.incomplete());
  return Pass();
}

CheckOutcome HasStagingSibling(const v1::DatabasePosture& p) {
  if (!p.has_environment_flow()) return Unknown("not compared with staging yet");
  if (p.environment() != "prod") return Pass();
  const v1::EnvironmentFlow& flow = p.environment_flow();
  if (flow.project().empty()) return Fail("the target has no project label, so it has no staging sibling");
  if (flow.staging_databases_size() == 0)
    return Fail("no staging target has project label " + flow.project());
  return Pass();
}

}  // namespace

void AddEnvironmentFlowChecks(std::vector<Check>& checks) {
  checks.push_back(
      {"migrations.flow_through_staging", "every migration applied in prod was applied in staging first",
       v1::SEVERITY_WARNING, v1::MATURITY_LEVEL_PRODUCTION,
       "apply migrations to staging first and promote the same versions to prod (local -> staging -> prod); "
       "a production check, because a migration no staging database ran was never tried against a copy of "
       "production. It is judged where a staging target with the same project label is audited; having one "
       "is the enterprise check environments.staging_sibling",
       FlowsThroughStaging});
  checks.push_back({"environments.staging_sibling",
                    "every prod target has a staging sibling (same project label)", v1::SEVERITY_INFO,
                    v1::MATURITY_LEVEL_ENTERPRISE,
                    "audit a staging target with the same `project` label as this prod target (labels: "
                    "{project: ...} in both targets' configuration), so changes can be seen to pass "
                    "through it",
                    HasStagingSibling});
}

}  // namespace pgposture
