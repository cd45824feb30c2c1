// pgaudit.log values, read the way pgaudit reads them.
#pragma once

#include <string_view>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// Parses a pgaudit.log value as pgaudit's check hook does: a comma-separated
/// list of class names, case-insensitive, applied left to right; `all` adds
/// every class, `-class` removes one (`-all` clears), `none` adds nothing.
/// Items pgaudit would reject go to invalid_items.
v1::PgauditLogSetting ParsePgauditLog(std::string_view raw);

/// True when `setting` enables `log_class`.
bool LogsClass(const v1::PgauditLogSetting& setting, v1::PgauditClass log_class);

/// True when a shared_preload_libraries value loads pgaudit (as `pgaudit`,
/// `pgaudit.so`, `$libdir/pgaudit`, quoted or not).
bool PreloadsPgaudit(std::string_view shared_preload_libraries);

}  // namespace pgposture
