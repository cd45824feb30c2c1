// Maturity level names, as written in configuration and reports.
#pragma once

#include <optional>
#include <string>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// "production" -> MATURITY_LEVEL_PRODUCTION; nullopt for anything else.
std::optional<v1::MaturityLevel> ParseMaturityLevel(const std::string& name);

/// MATURITY_LEVEL_PRODUCTION -> "production".
std::string MaturityLevelName(v1::MaturityLevel level);

}  // namespace pgposture
