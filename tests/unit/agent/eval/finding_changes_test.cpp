#include "agent/eval/finding_changes.h"

#include <gtest/gtest.h>

namespace pgposture {
namespace {

v1::DatabasePosture WithFinding(const std::string& id, v1::CheckStatus status,
                                const std::string& detail = "") {
  v1::DatabasePosture posture;
  v1::Finding& finding = *posture.add_findings();
  finding.set_check_id(id);
  finding.set_status(status);
  finding.set_detail(detail);
  return posture;
}

TEST(FindingChangesTest, OneLinePerChangedStatus) {
  const auto before = WithFinding("pgaudit.loaded", v1::CHECK_STATUS_PASS);
  const auto after = WithFinding("pgaudit.loaded", v1::CHECK_STATUS_FAIL, "pgaudit is not preloaded");
  EXPECT_EQ(FindingChanges(before, after),
            std::vector<std::string>{"pgaudit.loaded: pass -> fail (pgaudit is not preloaded)"});
  EXPECT_TRUE(FindingChanges(after, after).empty());
}

TEST(FindingChangesTest, NewChecksCountAsChanged) {
  EXPECT_EQ(
      FindingChanges(v1::DatabasePosture(), WithFinding("ddl.capture_enabled", v1::CHECK_STATUS_UNKNOWN)),
      std::vector<std::string>{"ddl.capture_enabled: none -> unknown"});
}

}  // namespace
}  // namespace pgposture
