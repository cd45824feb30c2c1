// Each fact area contributes its checks to the catalog through one function.
#pragma once

#include <vector>

#include "agent/eval/check_catalog.h"

namespace pgposture {

void AddPgauditChecks(std::vector<Check>& checks);
void AddChangeManagementChecks(std::vector<Check>& checks);

/// Shorthands for check bodies.
inline CheckOutcome Pass() { return {v1::CHECK_STATUS_PASS, ""}; }
inline CheckOutcome Fail(std::string detail) { return {v1::CHECK_STATUS_FAIL, std::move(detail)}; }
inline CheckOutcome Unknown(std::string detail) { return {v1::CHECK_STATUS_UNKNOWN, std::move(detail)}; }

}  // namespace pgposture
