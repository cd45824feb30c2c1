// Label names the metric families add to a target's labels.
#pragma once

#include <algorithm>
#include <array>
#include <string_view>

namespace pgposture {

/// Besides `target`, `database` and `environment`: the labels of
/// cluster- and database-scoped families. A target's configured labels must
/// not reuse them, or one series would carry a name twice.
inline constexpr std::array<std::string_view, 22> kFamilyLabelNames{
    "archive_mode",  "archive_tool", "attribute",
    "check",         "class",        "classification",
    "collector",     "level",        "listen_addresses",
    "log_level",     "mode",         "password_encryption",
    "password_kind", "pgaudit_role", "risk",
    "setting",       "severity",     "slot",
    "slot_type",     "table",        "tool",
    "wal_level",
};

inline bool IsFamilyLabelName(std::string_view name) {
  return std::find(kFamilyLabelNames.begin(), kFamilyLabelNames.end(), name) != kFamilyLabelNames.end();
}

}  // namespace pgposture
