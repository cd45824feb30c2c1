// Each fact area contributes its checks to the catalog through one function.
#pragma once

#include <string>
#include <vector>

#include "agent/eval/check_catalog.h"

namespace pgposture {

void AddPgauditChecks(std::vector<Check>& checks);
void AddChangeManagementChecks(std::vector<Check>& checks);
void AddRolesChecks(std::vector<Check>& checks);
void AddNetworkChecks(std::vector<Check>& checks);
void AddBackupChecks(std::vector<Check>& checks);
void AddEnvironmentFlowChecks(std::vector<Check>& checks);

/// `items` separated by `separator`, for details.
template <typename Items>
std::string Join(const Items& items, const std::string& separator) {
  std::string text;
  for (const auto& item : items) text.append(text.empty() ? "" : separator).append(item);
  return text;
}

/// Shorthands for check bodies.
inline CheckOutcome Pass() { return {v1::CHECK_STATUS_PASS, ""}; }
inline CheckOutcome Fail(std::string detail) { return {v1::CHECK_STATUS_FAIL, std::move(detail)}; }
inline CheckOutcome Unknown(std::string detail) { return {v1::CHECK_STATUS_UNKNOWN, std::move(detail)}; }

}  // namespace pgposture
