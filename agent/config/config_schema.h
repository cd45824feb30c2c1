// The one table of configuration options. It drives parsing (which keys
// exist, their types and defaults), validation (ranges, allowed values,
// checks) and the reference in the README, so the three cannot drift apart.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "agent/config/config.h"

namespace pgposture {

/// The shape a YAML value must have.
enum class OptionType {
  kDuration,    ///< a scalar ParseDuration reads
  kInteger,     ///< a decimal scalar
  kString,      ///< any scalar
  kPath,        ///< a file, relative to the configuration file's folder
  kStringList,  ///< a list of non-empty scalars
  kStringMap,   ///< a map from scalars to scalars
  kDatabases,   ///< the scalar `all` or a list of non-empty scalars
  kMapList,     ///< a list of maps whose keys are the options under `PATH[]`
};

/// How the reference names a type ("duration", "list of strings").
std::string_view OptionTypeName(OptionType type);

/// A decoded value: milliseconds for kDuration, int64 for kInteger, the
/// string for kString, kPath (resolved) and kDatabases' `all`, the items of
/// kStringList and kDatabases' list, the map of kStringMap, and the item's
/// index for kMapList.
using OptionValue = std::variant<std::chrono::milliseconds, std::int64_t, std::string,
                                 std::vector<std::string>, std::map<std::string, std::string>>;

/// Further validation of a string, of each list item or of each map key:
/// nullopt when it is fine, else "what is wrong[; hint]" without the key.
using OptionCheck = std::optional<std::string> (*)(const std::string& value);

/// Writes a decoded value into `config`. Options under `targets[]` write into
/// config.targets.back(); the kMapList option itself is called once per
/// item, before the item's own options, to add that item.
using OptionStore = void (*)(OptionValue value, Config& config);

/// One configuration option. Sections (`agent`, `policy.ddl`) are not
/// options: they are the maps whose keys lead to options.
struct ConfigOption {
  /// Dotted YAML path; "[]" stands for each item of a list ("targets[].dsn").
  std::string_view path;
  OptionType type = OptionType::kString;
  /// One line for the reference.
  std::string_view doc;
  /// YAML text applied when the key is absent; empty when there is none.
  std::string_view default_value;
  bool required = false;
  /// Inclusive bounds of an integer, of a duration in milliseconds, or of the
  /// number of items of a kMapList.
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  /// When not empty, the only values a kString accepts.
  std::vector<std::string_view> one_of;
  OptionCheck check = nullptr;
  OptionStore store = nullptr;
};

/// Every option, in the order of the reference.
const std::vector<ConfigOption>& ConfigOptions();

/// The option at `path` ("agent.interval", "targets[].name"), or nullptr.
const ConfigOption* FindConfigOption(std::string_view path);

/// The keys a map at `path` may hold ("" for the top level, "targets[]" for
/// a target), in table order; empty when `path` is not a map.
std::vector<std::string_view> ConfigChildKeys(std::string_view path);

/// The reference: a Markdown table "key | type | default | description" with
/// one row per option, ranges and allowed values in the description.
std::string ConfigReferenceMarkdown();

}  // namespace pgposture
