// Reads and validates the YAML configuration against the option table in
// config_schema.h.
#pragma once

#include <stdexcept>
#include <string>

#include "agent/config/config.h"

namespace pgposture {

/// Exit status for an unusable configuration (EX_CONFIG in sysexits.h).
inline constexpr int kExitConfig = 78;

/// A configuration that cannot be used; what() is
/// "FILE:LINE:COLUMN: KEY: what is wrong[; hint]" (1-based line and column),
/// or "FILE: cannot read: REASON". It never holds a password or a DSN.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads and parses the file at `path`, and the targets_file it names.
/// Throws ConfigError.
Config LoadConfig(const std::string& path);

/// The content of the file at `path`; throws ConfigError naming it.
std::string ReadConfigText(const std::string& path);

/// What a parsed text is: the main configuration file, or the targets_file
/// it names, which holds only `targets`.
enum class ConfigDocument { kMain, kTargetsFile };

/// Parses `yaml_text`, stopping at the first problem. `path` names the file in
/// messages, and relative password_file paths are resolved against its
/// folder (and stored resolved); the password files are checked for
/// readability but never read. Throws ConfigError.
Config ParseConfig(const std::string& yaml_text, const std::string& path,
                   ConfigDocument document = ConfigDocument::kMain);

}  // namespace pgposture
