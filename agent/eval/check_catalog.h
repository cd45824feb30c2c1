// The checks a database's facts are held to.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// What a check concluded about one database.
struct CheckOutcome {
  v1::CheckStatus status;
  /// What was observed; empty for a pass.
  std::string detail;
};

/// One check: stable id, the level it belongs to, and how it reads the facts.
/// A check whose facts were not collected answers CHECK_STATUS_UNKNOWN, never
/// a pass.
struct Check {
  std::string id;
  std::string title;
  v1::Severity severity;
  v1::MaturityLevel level;
  std::string remediation;
  std::function<CheckOutcome(const v1::DatabasePosture&)> evaluate;
};

/// Every check, ordered by level then id.
const std::vector<Check>& CheckCatalog();

}  // namespace pgposture
