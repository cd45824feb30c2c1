#include "agent/config/config_schema.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <regex>
#include <utility>

#include "agent/config/duration.h"
#include "agent/config/shard.h"
#include "collectors/conninfo.h"
#include "exporters/prometheus/label_names.h"

namespace pgposture {
namespace {

using std::chrono::milliseconds;

// Builds a ConfigOption one property at a time, so each table row names what
// it sets instead of relying on positions.
class Row {
 public:
  Row(std::string_view path, OptionType type, std::string_view doc) {
    option_.path = path;
    option_.type = type;
    option_.doc = doc;
  }
  Row& Default(std::string_view yaml) {
    option_.default_value = yaml;
    return *this;
  }
  Row& Required() {
    option_.required = true;
    return *this;
  }
  Row& Range(std::int64_t min, std::int64_t max) {
    option_.min = min;
    option_.max = max;
    return *this;
  }
  Row& AtLeast(milliseconds min) {
    option_.min = min.count();
    return *this;
  }
  Row& OneOf(std::vector<std::string_view> values) {
    option_.one_of = std::move(values);
    return *this;
  }
  Row& Check(OptionCheck check) {
    option_.check = check;
    return *this;
  }
  Row& Store(OptionStore store) {
    option_.store = store;
    return *this;
  }
  // Implicit, so that the table reads as a plain list of rows.
  operator ConfigOption() const { return option_; }  // NOLINT

 private:
  ConfigOption option_;
};

template <typename T>
T Take(OptionValue& value) {
  return std::get<T>(std::move(value));
}

bool IsAsciiAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string Quoted(std::string_view text) { return std::string("\"").append(text).append("\""); }

// Letters, digits, "_", "." and "-", starting with a letter or digit.
bool IsPlainName(const std::string& name) {
  return !name.empty() && IsAsciiAlnum(name.front()) && std::all_of(name.begin(), name.end(), [](char c) {
    return IsAsciiAlnum(c) || c == '_' || c == '.' || c == '-';
  });
}

std::optional<std::string> TargetName(const std::string& name) {
  if (IsPlainName(name)) return std::nullopt;
  return "invalid target name " + Quoted(name) +
         "; use letters, digits, \"_\", \".\" and \"-\", starting with a "
         "letter or digit (it becomes a resource name and a metric label)";
}

// It becomes part of a command line and of messages.
std::optional<std::string> StanzaName(const std::string& name) {
  if (IsPlainName(name)) return std::nullopt;
  return "invalid pgbackrest stanza " + Quoted(name) +
         "; use letters, digits, \"_\", \".\" and \"-\", starting with a letter or digit";
}

std::optional<std::string> LabelName(const std::string& name) {
  const bool valid =
      !name.empty() && std::isdigit(static_cast<unsigned char>(name.front())) == 0 &&
      std::all_of(name.begin(), name.end(), [](char c) { return IsAsciiAlnum(c) || c == '_'; });
  if (!valid) {
    return "invalid label name " + Quoted(name) +
           "; use letters, digits and \"_\", not starting with a digit";
  }
  if (name.rfind("__", 0) == 0) {
    return "label name " + Quoted(name) + " is reserved: names starting with \"__\" belong to Prometheus";
  }
  constexpr std::array<std::string_view, 3> kOwnLabels{"target", "database", "environment"};
  if (std::find(kOwnLabels.begin(), kOwnLabels.end(), name) != kOwnLabels.end()) {
    return "label name " + Quoted(name) +
           " is reserved: pgposture sets it on every series; choose another "
           "name";
  }
  if (IsFamilyLabelName(name)) {
    return "label name " + Quoted(name) +
           " is reserved: a pgposture metric family uses it (README.md, Metrics); choose another name";
  }
  return std::nullopt;
}

// The DSN is never quoted: it may carry a password.
std::optional<std::string> Dsn(const std::string& dsn) {
  if (ConnInfoHasPassword(dsn)) {
    return std::string("dsn carries a password; put it in password_file");
  }
  if (auto error = ConnInfoError(dsn)) {
    return "invalid connection string: " + *error;
  }
  return std::nullopt;
}

// Opened, never read: the password stays out of Config. Checked now so that a
// wrong path stops the start instead of the first connection; O_NONBLOCK so
// that a FIFO does not hang the loader.
std::optional<std::string> ReadableFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    return "cannot read " + Quoted(path) + ": " + std::strerror(errno) +
           "; check the path and that the agent's user may read the file";
  }
  struct stat info {};
  const bool is_directory = ::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode);
  ::close(fd);
  if (is_directory) {
    return "cannot read " + Quoted(path) + ": it is a directory";
  }
  return std::nullopt;
}

// `text` as a number when it is only decimal digits and at most `max`.
std::optional<int> BoundedNumber(const std::string& text, int max) {
  const bool digits = !text.empty() && text.size() <= std::to_string(max).size() &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoi(text) > max) return std::nullopt;
  return std::stoi(text);
}

bool IsHostName(const std::string& host) {
  return !host.empty() && std::all_of(host.begin(), host.end(),
                                      [](char c) { return IsAsciiAlnum(c) || c == '-' || c == '.'; });
}

// IPv6 goes in brackets because "::1:9932" has no unambiguous port.
std::optional<std::string> ListenAddress(const std::string& address) {
  const std::string invalid = "invalid listen address " + Quoted(address);
  std::size_t port_start = 0;
  if (!address.empty() && address.front() == '[') {
    const std::size_t close = address.find(']');
    in6_addr ip6{};
    if (close == std::string::npos || inet_pton(AF_INET6, address.substr(1, close - 1).c_str(), &ip6) != 1) {
      return invalid + ": no IPv6 address between the brackets; write [::1]:9932";
    }
    if (address.compare(close + 1, 1, ":") != 0) {
      return invalid + ": missing port; write host:port, as in [::1]:9932";
    }
    port_start = close + 2;
  } else {
    const std::size_t colon = address.rfind(':');
    if (colon == std::string::npos) {
      return invalid + ": missing port; write host:port, as in 127.0.0.1:9932";
    }
    const std::string host = address.substr(0, colon);
    if (host.find(':') != std::string::npos) {
      return invalid + ": put an IPv6 address in brackets, as in [::1]:9932";
    }
    in_addr ip4{};
    const bool numeric = host.find_first_not_of("0123456789.") == std::string::npos;
    if (numeric ? inet_pton(AF_INET, host.c_str(), &ip4) != 1 : !IsHostName(host)) {
      return invalid + ": " + Quoted(host) + " is not an IP address or host name";
    }
    port_start = colon + 1;
  }
  if (!BoundedNumber(address.substr(port_start), 65535)) {
    return invalid + ": port must be a number from 0 to 65535";
  }
  return std::nullopt;
}

// Host bits after the prefix are refused as PostgreSQL's cidr type refuses
// them, so that the list can be used there as it is.
std::optional<std::string> Cidr(const std::string& cidr) {
  const std::string invalid = "invalid CIDR " + Quoted(cidr);
  const std::size_t slash = cidr.find('/');
  if (slash == std::string::npos) {
    return invalid + ": missing prefix length; write one host as " + cidr +
           (cidr.find(':') == std::string::npos ? "/32" : "/128");
  }
  const std::string address = cidr.substr(0, slash);
  const std::string prefix = cidr.substr(slash + 1);
  const int family = address.find(':') == std::string::npos ? AF_INET : AF_INET6;
  const int bits = family == AF_INET ? 32 : 128;
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(family, address.c_str(), bytes.data()) != 1) {
    return invalid + ": " + Quoted(address) + " is not an IPv4 or IPv6 address";
  }
  const std::optional<int> length = BoundedNumber(prefix, bits);
  if (!length) {
    return invalid + ": prefix length must be from 0 to " + std::to_string(bits);
  }
  std::array<unsigned char, 16> network = bytes;
  for (int bit = *length; bit < bits; ++bit) {
    network[bit / 8] &= static_cast<unsigned char>(~(0x80u >> (bit % 8)));
  }
  if (network != bytes) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    inet_ntop(family, network.data(), text.data(), text.size());
    return invalid + ": bits set after the prefix; did you mean " + text.data() + "/" + prefix + "?";
  }
  return std::nullopt;
}

std::optional<std::string> Regex(const std::string& pattern) {
  try {
    std::regex compiled(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    // Some libstdc++ versions word these as sentences; messages here are not.
    std::string reason = error.what();
    if (!reason.empty() && reason.back() == '.') reason.pop_back();
    if (!reason.empty()) {
      reason.front() = static_cast<char>(std::tolower(reason.front()));
    }
    return "invalid regular expression " + Quoted(pattern) + ": " + reason;
  }
  return std::nullopt;
}

// YAML of the built-in list in config.h, so the default has one source.
std::string_view InteractiveApplicationNamesDefault() {
  static const std::string* const yaml = [] {
    auto* text = new std::string("[");
    for (const std::string& pattern : Policy().interactive_application_names) {
      if (text->size() > 1) text->append(", ");
      text->append("'").append(pattern).append("'");
    }
    return &text->append("]");
  }();
  return *yaml;
}

std::vector<ConfigOption> BuildOptions() {
  const std::vector<std::string_view> levels{"prototyping", "collaborating", "production", "enterprise"};
  return {
      Row("agent.interval", OptionType::kDuration, "How often every database is audited")
          .Default("30s")
          .AtLeast(std::chrono::seconds(1))
          .Store([](OptionValue v, Config& c) { c.agent.interval = Take<milliseconds>(v); }),
      Row("agent.timeout", OptionType::kDuration,
          "Time allowed per database per cycle, connecting included, up to "
          "agent.interval")
          .Default("10s")
          .AtLeast(milliseconds(100))
          .Store([](OptionValue v, Config& c) { c.agent.timeout = Take<milliseconds>(v); }),
      Row("agent.concurrency", OptionType::kInteger,
          "Databases collected at once; connection attempts wait beside them, up to three per slot and 64 in "
          "all, so servers that never answer cannot hold every slot")
          .Default("8")
          .Range(1, 1024)
          .Store([](OptionValue v, Config& c) {
            c.agent.concurrency = static_cast<int>(Take<std::int64_t>(v));
          }),
      Row("agent.log_level", OptionType::kString, "Least severe messages logged")
          .Default("info")
          .OneOf({"trace", "debug", "info", "warn", "error", "critical", "off"})
          .Store([](OptionValue v, Config& c) { c.agent.log_level = Take<std::string>(v); }),
      Row("agent.shard", OptionType::kString,
          "`i/n`: audit only the targets whose name hashes to shard i of n (as Prometheus hashmod), so "
          "n agents split one target list with no coordination")
          .Default("0/1")
          .Check([](const std::string& value) -> std::optional<std::string> {
            if (ParseShard(value)) return std::nullopt;
            return "invalid shard " + Quoted(value) + ": write i/n with 0 <= i < n, e.g. 0/3";
          })
          .Store([](OptionValue v, Config& c) { c.agent.shard = Take<std::string>(v); }),
      Row("agent.log_format", OptionType::kString,
          "`plain` lines for journald and terminals, or `json`, one object per line")
          .Default("plain")
          .OneOf({"plain", "json"})
          .Store([](OptionValue v, Config& c) { c.agent.log_format = Take<std::string>(v); }),
      Row("listen.metrics", OptionType::kString,
          "host:port of /metrics, /healthz and /readyz; IPv6 as `[::1]:9932`")
          .Default("127.0.0.1:9932")
          .Check(ListenAddress)
          .Store([](OptionValue v, Config& c) { c.listen.metrics = Take<std::string>(v); }),
      Row("listen.grpc", OptionType::kString, "host:port of the gRPC PostureService; IPv6 as `[::1]:9933`")
          .Default("127.0.0.1:9933")
          .Check(ListenAddress)
          .Store([](OptionValue v, Config& c) { c.listen.grpc = Take<std::string>(v); }),
      Row("listen.grpc_tls.cert_file", OptionType::kPath,
          "PEM certificate (chain) of the gRPC server; with key_file, gRPC speaks TLS only")
          .Check(ReadableFile)
          .Store([](OptionValue v, Config& c) { c.listen.grpc_tls_cert_file = Take<std::string>(v); }),
      Row("listen.grpc_tls.key_file", OptionType::kPath, "PEM private key of cert_file")
          .Check(ReadableFile)
          .Store([](OptionValue v, Config& c) { c.listen.grpc_tls_key_file = Take<std::string>(v); }),
      Row("listen.grpc_tls.client_ca_file", OptionType::kPath,
          "PEM CA certificates; when set, gRPC clients must present a certificate they signed (mTLS)")
          .Check(ReadableFile)
          .Store([](OptionValue v, Config& c) { c.listen.grpc_tls_client_ca_file = Take<std::string>(v); }),
      Row("listen.grpc_auth.token_file", OptionType::kPath,
          "File holding the bearer token every gRPC call must send (`authorization: Bearer ...`), read at "
          "start; omitted: reads need no token")
          .Check(ReadableFile)
          .Store([](OptionValue v, Config& c) { c.listen.grpc_token_file = Take<std::string>(v); }),
      Row("listen.grpc_auth.collect_token_file", OptionType::kPath,
          "File holding the bearer token Collect needs, read at start; it also reads, the token_file token "
          "then may not collect; omitted: Collect needs what reads need")
          .Check(ReadableFile)
          .Store([](OptionValue v, Config& c) { c.listen.grpc_collect_token_file = Take<std::string>(v); }),
      Row("policy.ddl.migration_roles", OptionType::kStringList,
          "Roles (session_user) whose DDL counts as a migration")
          .Default("[]")
          .Store([](OptionValue v, Config& c) {
            c.policy.ddl.migration_roles = Take<std::vector<std::string>>(v);
          }),
      Row("policy.ddl.migration_client_cidrs", OptionType::kStringList,
          "Client networks (CI runners, bastion hosts) whose DDL counts as a "
          "migration, as CIDRs such as 10.20.0.0/24 or fd00::/64")
          .Default("[]")
          .Check(Cidr)
          .Store([](OptionValue v, Config& c) {
            c.policy.ddl.migration_client_cidrs = Take<std::vector<std::string>>(v);
          }),
      Row("policy.ddl.migration_application_names", OptionType::kStringList,
          "ECMAScript regular expressions; DDL from a matching "
          "application_name counts as a migration")
          .Default("[]")
          .Check(Regex)
          .Store([](OptionValue v, Config& c) {
            c.policy.ddl.migration_application_names = Take<std::vector<std::string>>(v);
          }),
      Row("policy.ddl.window", OptionType::kDuration,
          "How long an out-of-band DDL change keeps failing the production "
          "checks")
          .Default("7d")
          .AtLeast(std::chrono::minutes(1))
          .Store([](OptionValue v, Config& c) { c.policy.ddl.window = Take<milliseconds>(v); }),
      Row("policy.backup.max_archive_age", OptionType::kDuration,
          "WAL archiving counts as point-in-time recovery while the last segment was archived "
          "within this, or while archive_timeout is at most this and no segment waits")
          .Default("1h")
          .AtLeast(std::chrono::minutes(1))
          .Store([](OptionValue v, Config& c) { c.policy.backup.max_archive_age = Take<milliseconds>(v); }),
      Row("policy.interactive_application_names", OptionType::kStringList,
          "ECMAScript regular expressions searched in application_name; a matching session is a "
          "person at a SQL prompt, IDE or dashboard, and must not be a superuser's")
          .Default(InteractiveApplicationNamesDefault())
          .Check(Regex)
          .Store([](OptionValue v, Config& c) {
            c.policy.interactive_application_names = Take<std::vector<std::string>>(v);
          }),
      Row("policy.environments.local.required_level", OptionType::kString,
          "Maturity level the databases of local targets must reach")
          .Default("prototyping")
          .OneOf(levels)
          .Store([](OptionValue v, Config& c) { c.policy.required_levels["local"] = Take<std::string>(v); }),
      Row("policy.environments.staging.required_level", OptionType::kString,
          "Maturity level the databases of staging targets must reach")
          .Default("collaborating")
          .OneOf(levels)
          .Store(
              [](OptionValue v, Config& c) { c.policy.required_levels["staging"] = Take<std::string>(v); }),
      Row("policy.environments.prod.required_level", OptionType::kString,
          "Maturity level the databases of prod targets must reach")
          .Default("production")
          .OneOf(levels)
          .Store([](OptionValue v, Config& c) { c.policy.required_levels["prod"] = Take<std::string>(v); }),
      Row("targets_file", OptionType::kPath,
          "YAML file holding more targets under a `targets:` key, as a fleet tool writes it; re-read when it "
          "changes, and on reload")
          .Check(ReadableFile)
          .Store([](OptionValue v, Config& c) { c.targets_file = Take<std::string>(v); }),
      Row("targets", OptionType::kMapList, "Database clusters to audit; required unless targets_file is set")
          .Range(1, std::numeric_limits<std::int64_t>::max())
          .Store([](OptionValue, Config& c) { c.targets.emplace_back(); }),
      Row("targets[].name", OptionType::kString,
          "Unique name, used in resource names and as the `target` label; "
          "letters, digits, `_`, `.` and `-`")
          .Required()
          .Check(TargetName)
          .Store([](OptionValue v, Config& c) { c.targets.back().name = Take<std::string>(v); }),
      Row("targets[].dsn", OptionType::kString,
          "libpq connection string (key=value or URI), without a password")
          .Required()
          .Check(Dsn)
          .Store([](OptionValue v, Config& c) { c.targets.back().dsn = Take<std::string>(v); }),
      Row("targets[].password_file", OptionType::kPath,
          "File holding the password, relative to the configuration file's "
          "folder; omitted: libpq finds the password itself (.pgpass, peer)")
          .Check(ReadableFile)
          .Store([](OptionValue v, Config& c) { c.targets.back().password_file = Take<std::string>(v); }),
      Row("targets[].environment", OptionType::kString,
          "Environment, which sets the required maturity level (see "
          "`policy.environments`)")
          .Default("local")
          .OneOf({"local", "staging", "prod"})
          .Store([](OptionValue v, Config& c) { c.targets.back().environment = Take<std::string>(v); }),
      Row("targets[].labels", OptionType::kStringMap,
          "Extra Prometheus labels on the target's series, such as `project`; "
          "not `target`, `database`, `environment`, a label of a metric family (see Metrics) or names "
          "starting with `__`")
          .Default("{}")
          .Check(LabelName)
          .Store([](OptionValue v, Config& c) {
            c.targets.back().labels = Take<std::map<std::string, std::string>>(v);
          }),
      Row("targets[].databases", OptionType::kDatabases,
          "`all` (every connectable non-template database, found each cycle) "
          "or a list of names; an empty list means the DSN's own database")
          .Default("[]")
          .Store([](OptionValue v, Config& c) {
            TargetConfig& target = c.targets.back();
            if (std::holds_alternative<std::string>(v)) {
              target.all_databases = true;
            } else {
              target.databases = Take<std::vector<std::string>>(v);
            }
          }),
      Row("targets[].pgbackrest_stanza", OptionType::kString,
          "pgbackrest stanza of the cluster; when set, `pgbackrest --stanza=... info` runs on the "
          "agent's host each cycle (within half of agent.timeout) to read the last base backup")
          .Check(StanzaName)
          .Store([](OptionValue v, Config& c) { c.targets.back().pgbackrest_stanza = Take<std::string>(v); }),
  };
}

std::string Escaped(std::string_view cell) {
  std::string text;
  for (char c : cell) {
    if (c == '|') text += '\\';
    text += c;
  }
  return text;
}

// Ranges and allowed values, worded for the reference.
std::string Limits(const ConfigOption& option) {
  constexpr std::int64_t kNoMin = std::numeric_limits<std::int64_t>::min();
  std::string text;
  if (!option.one_of.empty()) {
    text = "one of";
    for (std::string_view value : option.one_of) {
      text.append(text == "one of" ? " `" : ", `").append(value).append("`");
    }
  } else if (option.type == OptionType::kDuration && option.min != kNoMin) {
    text = "at least " + FormatDuration(milliseconds(option.min));
  } else if (option.type == OptionType::kInteger) {
    text = "from " + std::to_string(option.min) + " to " + std::to_string(option.max);
  } else if (option.type == OptionType::kMapList && option.min != kNoMin) {
    text = "at least " + std::to_string(option.min) + " item" + (option.min == 1 ? "" : "s");
  }
  return text;
}

}  // namespace

std::string_view OptionTypeName(OptionType type) {
  switch (type) {
    case OptionType::kDuration:
      return "duration";
    case OptionType::kInteger:
      return "integer";
    case OptionType::kString:
      return "string";
    case OptionType::kPath:
      return "path";
    case OptionType::kStringList:
      return "list of strings";
    case OptionType::kStringMap:
      return "map of strings";
    case OptionType::kDatabases:
      return "`all` or list of strings";
    case OptionType::kMapList:
      return "list of maps";
  }
  return "unknown";
}

const std::vector<ConfigOption>& ConfigOptions() {
  static const auto* const options = new std::vector<ConfigOption>(BuildOptions());
  return *options;
}

const ConfigOption* FindConfigOption(std::string_view path) {
  const auto& options = ConfigOptions();
  const auto found =
      std::find_if(options.begin(), options.end(), [&](const ConfigOption& o) { return o.path == path; });
  return found == options.end() ? nullptr : &*found;
}

std::vector<std::string_view> ConfigChildKeys(std::string_view path) {
  const std::string prefix = path.empty() ? "" : std::string(path) + ".";
  std::vector<std::string_view> keys;
  for (const ConfigOption& option : ConfigOptions()) {
    if (option.path.size() <= prefix.size() || option.path.compare(0, prefix.size(), prefix) != 0) {
      continue;
    }
    std::string_view key = option.path.substr(prefix.size());
    key = key.substr(0, key.find_first_of(".["));
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(key);
    }
  }
  return keys;
}

std::string ConfigReferenceMarkdown() {
  std::string text = "| key | type | default | description |\n| --- | --- | --- | --- |\n";
  for (const ConfigOption& option : ConfigOptions()) {
    std::string default_cell;
    if (option.required) {
      default_cell = "required";
    } else if (!option.default_value.empty()) {
      default_cell = "`" + Escaped(option.default_value) + "`";
    }
    std::string description = Escaped(option.doc);
    if (const std::string limits = Limits(option); !limits.empty()) {
      description += "; " + limits;
    }
    text.append("| `")
        .append(option.path)
        .append("` | ")
        .append(OptionTypeName(option.type))
        .append(" | ")
        .append(default_cell)
        .append(" | ")
        .append(description)
        .append(" |\n");
  }
  return text;
}

}  // namespace pgposture
