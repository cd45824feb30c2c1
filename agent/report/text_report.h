// `pgposture check`: the report for people.
#pragma once

#include <string>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// Per database: collection status, the key facts, then findings grouped by
/// maturity level, failing and unknown ones with their remediation.
std::string RenderText(const v1::CheckReport& report);

}  // namespace pgposture
