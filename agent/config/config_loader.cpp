#include "agent/config/config_loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "agent/config/config_schema.h"
#include "agent/config/duration.h"
#include "agent/config/second_document.h"
#include "agent/config/targets_file.h"
#include "agent/config/yaml_text.h"

namespace pgposture {
namespace {

using std::chrono::milliseconds;

// Further away, a suggestion is more often wrong than helpful.
constexpr std::size_t kMaxSuggestionDistance = 2;

// A configuration is a few kilobytes, a fleet's targets a few megabytes;
// more is a wrong file (a log, /dev/zero) that would only eat memory.
constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;
// No setting needs more; longer values would be repeated in messages and
// metric labels.
constexpr std::size_t kMaxValueBytes = 4096;

constexpr const char* kWhitespace = " \t\n\v\f\r";

// "password=" (any case, blanks before "=") or a URI's "user:secret@".
// Scanned by hand: std::regex recurses per character and overflows the
// stack on a long value.
bool MayHoldPassword(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::size_t at = lower.find("password"); at != std::string::npos;
       at = lower.find("password", at + 1)) {
    const std::size_t after = lower.find_first_not_of(kWhitespace, at + std::strlen("password"));
    if (after != std::string::npos && lower[after] == '=') return true;
  }
  for (std::size_t at = text.find("://"); at != std::string_view::npos; at = text.find("://", at + 1)) {
    const std::size_t user_start = at + 3;
    const std::size_t end = text.find_first_of(std::string("/@\"") + kWhitespace, user_start);
    if (end != std::string_view::npos && text[end] == '@' &&
        text.substr(user_start, end - user_start).find(':') != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// Messages quote what the file says, and a misplaced DSN (a line missing its
// colon joins the line above) can turn up in any value or key: whatever looks
// like it carries a password is withheld, the whole detail if need be.
std::string Redacted(const std::string& detail) {
  std::string redacted;
  std::size_t rest = 0;
  for (std::size_t open = detail.find('"'); open != std::string::npos; open = detail.find('"', rest)) {
    const std::size_t close = detail.find('"', open + 1);
    if (close == std::string::npos) break;
    const std::string_view quoted = std::string_view(detail).substr(open, close + 1 - open);
    redacted.append(detail, rest, open - rest);
    redacted.append(MayHoldPassword(quoted) ? "\"(withheld: it may hold a password)\"" : quoted);
    rest = close + 1;
  }
  redacted.append(detail, rest, std::string::npos);
  if (!MayHoldPassword(redacted)) return redacted;
  return "this line may hold a password, so the problem is not shown; check "
         "its syntax";
}

std::string Located(const std::string& file, const YAML::Mark& mark, std::string_view key,
                    std::string_view what) {
  std::string message = file;
  if (!mark.is_null()) {
    message.append(":")
        .append(std::to_string(mark.line + 1))
        .append(":")
        .append(std::to_string(mark.column + 1));
  }
  std::string detail(key);
  detail.append(key.empty() ? "" : ": ").append(what);
  return message.append(": ").append(Redacted(detail));
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The closest candidate when it is close enough to be the intended one,
// otherwise every candidate.
std::string Hint(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view closest;
  std::size_t closest_distance = kMaxSuggestionDistance + 1;
  for (std::string_view candidate : candidates) {
    const std::size_t distance = EditDistance(word, candidate);
    if (distance < closest_distance) {
      closest = candidate;
      closest_distance = distance;
    }
  }
  if (!closest.empty()) {
    return std::string("; did you mean \"").append(closest).append("\"?");
  }
  std::string text = "; expected one of: ";
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    text.append(i == 0 ? "" : ", ").append(candidates[i]);
  }
  return text;
}

// Never the value itself: a misplaced scalar may be a connection string.
std::string Describe(const YAML::Node& node) {
  if (node.IsScalar()) return "a scalar";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";
  return "nothing";
}

std::string WithArticle(std::string_view noun) {
  const bool vowel = std::string_view("aeiou").find(noun.front()) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ").append(noun);
}

std::string Join(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : std::string(parent).append(".").append(key);
}

std::string ItemKey(std::string_view list_key, std::size_t index) {
  return std::string(list_key).append("[").append(std::to_string(index)).append("]");
}

// "targets[]" for "targets[].name", "" for options outside any list: the
// scope whose defaults are applied together.
std::string_view ListScope(std::string_view path) {
  const std::size_t brackets = path.rfind("[]");
  return brackets == std::string_view::npos ? std::string_view() : path.substr(0, brackets + 2);
}

// A YAML value with what messages call it ("targets[1].name") and where
// they place it: an empty value has no position of its own, so its key's.
struct Field {
  YAML::Node node;
  std::string key;
  YAML::Mark mark;
};

// One entry of a map: both fields carry the key's message name.
struct Entry {
  std::string name;
  Field key;
  Field value;
};

// Walks the YAML tree along the option table. `path` arguments are table
// paths ("targets[].name").
class Parser {
 public:
  /// `text_bytes`: the size of the YAML text, which bounds how many values
  /// the parser visits (see Visit).
  Parser(const std::string& file, std::size_t text_bytes, ConfigDocument document)
      : file_(file),
        folder_(std::filesystem::path(file).parent_path()),
        values_left_(text_bytes),
        document_(document) {}

  Config Parse(const YAML::Node& root) {
    if (root.IsNull()) {
      Fail(YAML::Mark(), "", "empty configuration; list at least the targets");
    }
    config_.path = file_;
    ApplyDefaults("");
    ParseMap("", Field{root, "", root.Mark()});
    CheckSomeTargets();
    CheckTimeoutWithinInterval();
    CheckGrpcTls();
    CheckUniqueTargetNames();
    return std::move(config_);
  }

 private:
  [[noreturn]] void Fail(const YAML::Mark& mark, std::string_view key, std::string_view what) const {
    throw ConfigError(Located(file_, mark, key, what));
  }
  [[noreturn]] void Fail(const Field& field, std::string_view what) const {
    Fail(field.mark, field.key, what);
  }

  // Defaults go through the same decoding as the user's values, so the
  // table's defaults obey the table's rules.
  void ApplyDefaults(std::string_view scope) {
    // The defaults are not the file's values: they do not count (see Visit).
    const std::size_t values_left = std::exchange(values_left_, std::numeric_limits<std::size_t>::max());
    for (const ConfigOption& option : ConfigOptions()) {
      if (option.default_value.empty() || ListScope(option.path) != scope) {
        continue;
      }
      const YAML::Node node = YAML::Load(std::string(option.default_value));
      option.store(Decode(option, Field{node, std::string(option.path), node.Mark()}), config_);
    }
    values_left_ = values_left;
  }

  // Counts one value the parser walks into. Aliases let a small file repeat
  // a map or list without end (a "billion laughs"); without them the parser
  // visits fewer values than the text has bytes, so more means aliases are
  // being expanded, and the walk stops before it eats time and memory.
  void Visit(const Field& field) const {
    if (values_left_ == 0) {
      Fail(field, "the aliases in this file repeat more values than it holds; write the repeated parts out");
    }
    --values_left_;
  }

  // The text of a scalar `field`, refused when longer than any setting needs.
  std::string Text(const Field& field) const {
    const std::string& text = field.node.Scalar();
    if (text.size() > kMaxValueBytes) {
      Fail(field, std::to_string(text.size()) + " bytes long; at most " + std::to_string(kMaxValueBytes) +
                      " are accepted");
    }
    return text;
  }

  // The entries of a map, refusing keys that are not plain scalars or that
  // repeat an earlier key.
  std::vector<Entry> Entries(const Field& map) const {
    std::vector<Entry> entries;
    std::map<std::string, std::size_t> first_line;
    for (const auto& entry : map.node) {
      const Field key_field{entry.first, map.key, entry.first.Mark()};
      Visit(key_field);
      if (!entry.first.IsScalar())
        Fail(key_field, "expected a scalar as key, found " + Describe(entry.first));
      const std::string name = Text(key_field);
      const std::string key = Join(map.key, name);
      const auto [first, inserted] = first_line.emplace(name, entry.first.Mark().line);
      if (!inserted) {
        Fail(entry.first.Mark(), key,
             "duplicate key (first at line " + std::to_string(first->second + 1) + ")");
      }
      const YAML::Mark mark = entry.second.IsNull() ? entry.first.Mark() : entry.second.Mark();
      entries.push_back(
          Entry{name, Field{entry.first, key, entry.first.Mark()}, Field{entry.second, key, mark}});
    }
    return entries;
  }

  void ParseMap(const std::string& path, const Field& map) {
    if (!map.node.IsMap() && !map.node.IsNull()) {
      Fail(map, "expected a map, found " + Describe(map.node));
    }
    const std::vector<std::string_view> known = ConfigChildKeys(path);
    // Settings belong to the main file: a targets file that carries any is
    // a mistake to report, not to ignore, and its hints name only `targets`.
    const bool targets_only = document_ == ConfigDocument::kTargetsFile && path.empty();
    const auto entries = Entries(map);
    for (const Entry& entry : entries) {
      // Only the map's own key names: a key spelled as a table path
      // ("targets[].name") must not reach an option of another map.
      if (std::find(known.begin(), known.end(), entry.name) == known.end()) {
        Fail(entry.key,
             "unknown key" +
                 Hint(entry.name, targets_only ? std::vector<std::string_view>{"targets"} : known));
      }
      if (targets_only && entry.name != "targets") {
        Fail(entry.key, "not allowed in a targets file, which holds only `targets`");
      }
      const std::string child_path = Join(path, entry.name);
      if (const ConfigOption* option = FindConfigOption(child_path)) {
        marks_[entry.value.key] = entry.value.mark;
        ParseOption(*option, entry.value);
      } else {
        ParseMap(child_path, entry.value);
      }
    }
    for (std::string_view name : known) {
      const ConfigOption* option = FindConfigOption(Join(path, name));
      const bool given =
          std::any_of(entries.begin(), entries.end(), [&](const Entry& entry) { return entry.name == name; });
      if (option != nullptr && option->required && !given) {
        Fail(map.mark, Join(map.key, name), "missing required key");
      }
    }
  }

  void ParseOption(const ConfigOption& option, const Field& field) {
    if (option.type != OptionType::kMapList) {
      option.store(Decode(option, field), config_);
      return;
    }
    if (!field.node.IsSequence() && !field.node.IsNull()) {
      Fail(field, "expected a list of maps, found " + Describe(field.node));
    }
    if (static_cast<std::int64_t>(field.node.size()) < option.min) {
      Fail(field, "expected at least " + std::to_string(option.min) + (option.min == 1 ? " item" : " items") +
                      ", found " + std::to_string(field.node.size()));
    }
    const std::string item_path = std::string(option.path) + "[]";
    for (std::size_t i = 0; i < field.node.size(); ++i) {
      const Field item = Item(field, i);
      if (!item.node.IsMap()) {
        Fail(item, "expected a map, found " + Describe(item.node));
      }
      option.store(static_cast<std::int64_t>(i), config_);
      ApplyDefaults(item_path);
      ParseMap(item_path, item);
    }
  }

  Field Item(const Field& list, std::size_t index) const {
    const YAML::Node node = list.node[index];
    Field item{node, ItemKey(list.key, index), node.Mark()};
    Visit(item);
    return item;
  }

  OptionValue Decode(const ConfigOption& option, const Field& field) const {
    switch (option.type) {
      case OptionType::kDuration:
        return Duration(option, field);
      case OptionType::kInteger:
        return Integer(option, field);
      case OptionType::kString:
        return Checked(option, field, Scalar(option, field));
      case OptionType::kPath:
        return Checked(option, field, Resolve(Scalar(option, field)));
      case OptionType::kStringList:
        return Strings(option, field);
      case OptionType::kStringMap:
        return StringMap(option, field);
      case OptionType::kDatabases:
        if (field.node.IsScalar() && Text(field) == "all") {
          return Text(field);
        }
        if (field.node.IsSequence() || field.node.IsNull()) {
          return Strings(option, field);
        }
        Fail(field, "expected \"all\" or a list of database names, found " + Describe(field.node) +
                        (field.node.IsScalar() ? "; write [" + Text(field) + "] for one database" : ""));
      case OptionType::kMapList:
        break;
    }
    throw std::logic_error("a list of maps is parsed item by item, not decoded");
  }

  std::string Scalar(const ConfigOption& option, const Field& field) const {
    if (!field.node.IsScalar()) {
      Fail(field, "expected " + WithArticle(OptionTypeName(option.type)) + ", found " + Describe(field.node));
    }
    return Text(field);
  }

  // `value` once it passes the option's allowed values and check.
  std::string Checked(const ConfigOption& option, const Field& field, std::string value) const {
    if (!option.one_of.empty() &&
        std::find(option.one_of.begin(), option.one_of.end(), value) == option.one_of.end()) {
      Fail(field, "invalid value \"" + value + "\"" + Hint(value, option.one_of));
    }
    if (option.check != nullptr) {
      if (const auto problem = option.check(value)) Fail(field, *problem);
    }
    return value;
  }

  void CheckBounds(const ConfigOption& option, const Field& field, std::int64_t value) const {
    const auto shown = [&](std::int64_t number) {
      return option.type == OptionType::kDuration ? FormatDuration(milliseconds(number))
                                                  : std::to_string(number);
    };
    if (value < option.min) {
      Fail(field, shown(value) + " is below the minimum of " + shown(option.min));
    }
    if (value > option.max) {
      Fail(field, shown(value) + " is above the maximum of " + shown(option.max));
    }
  }

  milliseconds Duration(const ConfigOption& option, const Field& field) const {
    const std::string text = Scalar(option, field);
    milliseconds duration{};
    try {
      duration = ParseDuration(text);
    } catch (const std::invalid_argument& error) {
      Fail(field, error.what());
    }
    CheckBounds(option, field, duration.count());
    return duration;
  }

  std::int64_t Integer(const ConfigOption& option, const Field& field) const {
    const std::string text = Scalar(option, field);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc::result_out_of_range) {
      value = text.front() == '-' ? std::numeric_limits<std::int64_t>::min()
                                  : std::numeric_limits<std::int64_t>::max();
    } else if (error != std::errc() || end != text.data() + text.size()) {
      Fail(field, "\"" + text + "\" is not an integer");
    }
    CheckBounds(option, field, value);
    return value;
  }

  std::vector<std::string> Strings(const ConfigOption& option, const Field& field) const {
    if (!field.node.IsSequence() && !field.node.IsNull()) {
      Fail(field, "expected a list of strings, found " + Describe(field.node) +
                      (field.node.IsScalar() ? "; write [" + Text(field) + "] for one item" : ""));
    }
    std::vector<std::string> values;
    for (std::size_t i = 0; i < field.node.size(); ++i) {
      const Field item = Item(field, i);
      if (!item.node.IsScalar()) {
        Fail(item, "expected a string, found " + Describe(item.node));
      }
      std::string value = Text(item);
      if (value.empty()) Fail(item, "empty string");
      values.push_back(Checked(option, item, std::move(value)));
    }
    return values;
  }

  // The option's check applies to the keys: the values are free text.
  std::map<std::string, std::string> StringMap(const ConfigOption& option, const Field& field) const {
    if (!field.node.IsMap() && !field.node.IsNull()) {
      Fail(field, "expected a map of strings, found " + Describe(field.node));
    }
    std::map<std::string, std::string> values;
    for (const Entry& entry : Entries(field)) {
      const Field& value = entry.value;
      if (!value.node.IsScalar()) {
        Fail(value, "expected a string, found " + Describe(value.node));
      }
      values.emplace(Checked(option, entry.key, entry.name), Text(value));
    }
    return values;
  }

  // Absolute, so that the agent finds the file whatever its working folder.
  // An absolute `value` replaces folder_ when joined.
  std::string Resolve(const std::string& value) const {
    const std::filesystem::path joined = folder_ / value;
    std::error_code error;
    const std::filesystem::path absolute = std::filesystem::absolute(joined, error);
    return (error ? joined : absolute).lexically_normal().string();
  }

  YAML::Mark MarkOf(const std::string& key) const {
    const auto found = marks_.find(key);
    return found == marks_.end() ? YAML::Mark::null_mark() : found->second;
  }

  // targets are required, unless a targets_file brings them.
  void CheckSomeTargets() const {
    if (config_.targets.empty() && config_.targets_file.empty())
      Fail(YAML::Mark(), "targets", "missing required key");
  }

  void CheckTimeoutWithinInterval() const {
    const AgentSettings& agent = config_.agent;
    if (agent.timeout <= agent.interval) return;
    const std::string timeout = FormatDuration(agent.timeout);
    const std::string interval = FormatDuration(agent.interval);
    if (marks_.count("agent.timeout") != 0) {
      Fail(MarkOf("agent.timeout"), "agent.timeout",
           timeout + " exceeds agent.interval (" + interval +
               "); a database must be done within one cycle: lower the timeout "
               "or raise the interval");
    }
    Fail(MarkOf("agent.interval"), "agent.interval",
         interval + " is shorter than agent.timeout (" + timeout +
             ", the default); raise the interval or lower the timeout");
  }

  // TLS needs a certificate and its key; client certificates need TLS.
  void CheckGrpcTls() const {
    const ListenSettings& listen = config_.listen;
    const auto missing = [&](const char* key, const char* given, const char* why) {
      Fail(MarkOf(given), key, std::string("missing; ") + why);
    };
    if (!listen.grpc_tls_cert_file.empty() && listen.grpc_tls_key_file.empty()) {
      missing("listen.grpc_tls.key_file", "listen.grpc_tls.cert_file", "cert_file needs its private key");
    }
    if (!listen.grpc_tls_key_file.empty() && listen.grpc_tls_cert_file.empty()) {
      missing("listen.grpc_tls.cert_file", "listen.grpc_tls.key_file", "key_file needs its certificate");
    }
    if (!listen.grpc_tls_client_ca_file.empty() && listen.grpc_tls_cert_file.empty()) {
      missing("listen.grpc_tls.cert_file", "listen.grpc_tls.client_ca_file",
              "client certificates are checked over TLS only; set cert_file and key_file");
    }
  }

  void CheckUniqueTargetNames() const {
    std::map<std::string_view, std::size_t> first_index;
    for (std::size_t i = 0; i < config_.targets.size(); ++i) {
      const std::string& name = config_.targets[i].name;
      const auto [first, inserted] = first_index.emplace(name, i);
      if (inserted) continue;
      const std::string key = ItemKey("targets", i) + ".name";
      const YAML::Mark first_mark = MarkOf(ItemKey("targets", first->second) + ".name");
      Fail(MarkOf(key), key,
           "duplicate target name \"" + name + "\" (first defined at line " +
               std::to_string(first_mark.line + 1) + ")");
    }
  }

  std::string file_;
  std::filesystem::path folder_;
  // Mutable: counting is not a change of what the parser has read.
  mutable std::size_t values_left_;
  const ConfigDocument document_;
  Config config_;
  // Where each option given in the file is, for the checks across options.
  std::map<std::string, YAML::Mark> marks_;
};

}  // namespace

std::string ReadConfigText(const std::string& path) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  std::string text;
  if (file != nullptr) {
    char buffer[4096];
    std::size_t count = 0;
    while (text.size() <= kMaxFileBytes && (count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
      text.append(buffer, count);
    }
  }
  if (file == nullptr || std::ferror(file.get()) != 0) {
    throw ConfigError(path + ": cannot read: " + std::strerror(errno));
  }
  if (text.size() > kMaxFileBytes) {
    throw ConfigError(path + ": larger than " + std::to_string(kMaxFileBytes / (1024 * 1024)) +
                      " MiB; is this the configuration file?");
  }
  return text;
}

Config LoadConfig(const std::string& path) {
  Config config = ParseConfig(ReadConfigText(path), path);
  if (!config.targets_file.empty()) AddTargetsFile(config);
  return config;
}

Config ParseConfig(const std::string& yaml_text, const std::string& path, ConfigDocument document) {
  if (const std::optional<TextProblem> problem = FindTextProblem(yaml_text)) {
    YAML::Mark mark;
    mark.line = static_cast<int>(problem->line);
    mark.column = static_cast<int>(problem->column);
    throw ConfigError(Located(path, mark, "", problem->what));
  }
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
    if (const std::optional<YAML::Mark> second = SecondDocument(yaml_text)) {
      throw ConfigError(
          Located(path, *second, "", "a second YAML document; keep the whole configuration in one"));
    }
  } catch (const YAML::DeepRecursion& error) {
    throw ConfigError(Located(path, error.mark, "", "invalid YAML: nested too deeply"));
  } catch (const YAML::Exception& error) {
    const bool tab = IndentedWithTab(yaml_text, static_cast<std::size_t>(std::max(error.mark.line, 0)));
    throw ConfigError(Located(
        path, error.mark, "",
        "invalid YAML: " + error.msg + (tab ? "; indent with spaces: YAML does not allow tabs there" : "")));
  }
  return Parser(path, yaml_text.size(), document).Parse(root);
}

}  // namespace pgposture
