// Hostile and broken configuration files: each is refused with a ConfigError
// naming the file and line, quickly, without a crash or a memory blow-up.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "agent/config/config_loader.h"
#include "agent/config/config_schema.h"

namespace pgposture {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr const char* kTarget = "targets:\n  - name: app\n    dsn: \"host=db1\"\n";

std::string ErrorOf(const std::string& yaml) {
  try {
    ParseConfig(yaml, "pgposture.yml");
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted:\n" << yaml.substr(0, 500);
  return "";
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// "pgposture.yml:LINE:COLUMN: " at the start of `message`.
bool NamesAPlace(const std::string& message) {
  const std::string prefix = "pgposture.yml:";
  if (!StartsWith(message, prefix)) return false;
  const std::size_t line_end = message.find(':', prefix.size());
  const std::size_t column_end = message.find(": ", line_end + 1);
  const auto digits = [&](std::size_t from, std::size_t to) {
    return to != std::string::npos && to > from && message.find_first_not_of("0123456789", from) == to;
  };
  return digits(prefix.size(), line_end) && digits(line_end + 1, column_end);
}

TEST(ConfigBadInput, TabIndentationIsNamedAsTheProblem) {
  EXPECT_EQ(ErrorOf("targets:\n\t- name: app\n\t  dsn: \"host=db1\"\n"),
            "pgposture.yml:2:2: invalid YAML: illegal block entry; indent with spaces: YAML does not "
            "allow tabs there");
  // A tab between a key and its value is allowed.
  EXPECT_EQ(ParseConfig("agent:\n  interval:\t45s\n" + std::string(kTarget), "pgposture.yml").agent.interval,
            seconds(45));
}

TEST(ConfigBadInput, DuplicateKeysAtEveryLevel) {
  EXPECT_EQ(ErrorOf(std::string(kTarget) + kTarget),
            "pgposture.yml:4:1: targets: duplicate key (first at line 1)");
  EXPECT_EQ(ErrorOf("targets:\n  - name: app\n    dsn: \"host=db1\"\n    dsn: \"host=db2\"\n"),
            "pgposture.yml:4:5: targets[0].dsn: duplicate key (first at line 3)");
  EXPECT_EQ(ErrorOf(std::string(kTarget) + "    labels: {team: a, team: b}\n"),
            "pgposture.yml:4:23: targets[0].labels.team: duplicate key (first at line 4)");
  EXPECT_EQ(ErrorOf("listen:\n  grpc_tls: {cert_file: a, cert_file: b}\n" + std::string(kTarget)),
            "pgposture.yml:2:28: listen.grpc_tls.cert_file: duplicate key (first at line 2)");
}

// Looking for duplicates once took time quadratic in the number of keys.
TEST(ConfigBadInput, ManyKeysParseInLinearTime) {
  std::string labels;
  for (int i = 0; i < 100000; ++i) labels += (i == 0 ? "l" : ", l") + std::to_string(i) + ": v";
  const auto started = steady_clock::now();
  const Config config = ParseConfig(std::string(kTarget) + "    labels: {" + labels + "}\n", "pgposture.yml");
  EXPECT_EQ(config.targets.at(0).labels.size(), 100000u);
  EXPECT_LT(steady_clock::now() - started, seconds(10));
}

TEST(ConfigBadInput, AliasesRepeatingValuesWithoutEndAreRefused) {
  // A billion laughs: each level repeats the one below, and every copy of
  // the target carries all the labels.
  std::string labels;
  for (int i = 0; i < 2000; ++i) labels += (i == 0 ? "l" : ", l") + std::to_string(i) + ": v";
  std::string yaml = "targets:\n  - &t {name: app, dsn: \"host=db1\", labels: {" + labels + "}}\n";
  for (int i = 0; i < 20000; ++i) yaml += "  - *t\n";
  const auto started = steady_clock::now();
  const std::string message = ErrorOf(yaml);
  EXPECT_LT(steady_clock::now() - started, seconds(10));
  EXPECT_TRUE(NamesAPlace(message)) << message;
  EXPECT_TRUE(Contains(message, "the aliases in this file repeat more values than it holds")) << message;

  // Nested lists of aliases (9^10 strings when expanded) stop at the first
  // value of the wrong shape, unexpanded.
  std::string lists = "&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]";
  for (int level = 1; level < 10; ++level) {
    const std::string below = "*a" + std::to_string(level - 1);
    lists += ", &a" + std::to_string(level) + " [" + below;
    for (int i = 1; i < 9; ++i) lists += ", " + below;
    lists += "]";
  }
  EXPECT_EQ(ErrorOf("policy: {ddl: {migration_roles: [" + lists + "]}}\n" + kTarget),
            "pgposture.yml:1:34: policy.ddl.migration_roles[0]: expected a string, found a list");
}

TEST(ConfigBadInput, AliasesUsedSparinglyStillWork) {
  const Config config = ParseConfig(
      "targets:\n  - {name: a, dsn: \"host=db1\", labels: &team {team: payments}}\n"
      "  - {name: b, dsn: \"host=db2\", labels: *team}\n",
      "pgposture.yml");
  ASSERT_EQ(config.targets.size(), 2u);
  EXPECT_EQ(config.targets[1].labels, config.targets[0].labels);
}

TEST(ConfigBadInput, DeepNestingIsRefusedWithoutExhaustingTheStack) {
  for (const std::size_t depth : {1000u, 100000u}) {
    const std::string message =
        ErrorOf("targets: " + std::string(depth, '[') + std::string(depth, ']') + "\n");
    EXPECT_TRUE(NamesAPlace(message)) << message;
    EXPECT_TRUE(Contains(message, "invalid YAML: nested too deeply")) << message;
  }
  std::string block;
  for (int level = 0; level < 5000; ++level) block += std::string(level, ' ') + "k:\n";
  EXPECT_TRUE(Contains(ErrorOf(block), "invalid YAML: nested too deeply"));
}

TEST(ConfigBadInput, BinaryGarbageIsNotText) {
  std::mt19937 random(8);
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::string garbage(4096, '\0');
    for (char& c : garbage) c = static_cast<char>(random() & 0xFF);
    const std::string message = ErrorOf(garbage);
    EXPECT_TRUE(NamesAPlace(message)) << message;
    EXPECT_TRUE(Contains(message, "is not UTF-8") || Contains(message, "is not allowed in YAML")) << message;
  }
  EXPECT_EQ(ErrorOf(std::string("targets:\0\n", 10)),
            "pgposture.yml:1:9: control character U+0000 is not allowed in YAML; is this a binary file?");
  EXPECT_EQ(ErrorOf("agent:\n  log_level: info\x1b[0m\n" + std::string(kTarget)),
            "pgposture.yml:2:18: control character U+001B is not allowed in YAML; is this a binary file?");
}

// Invalid UTF-8 would reach metric labels and protobuf strings, which must
// be UTF-8; a file in Latin-1 or UTF-16 is refused with the place.
TEST(ConfigBadInput, TextThatIsNotUtf8) {
  EXPECT_EQ(ErrorOf(std::string(kTarget) + "    labels: {team: caf\xe9}\n"),
            "pgposture.yml:4:23: byte 0xE9 is not UTF-8; save the file as UTF-8");
  EXPECT_EQ(ErrorOf("# r\xe9sum\xe9\n" + std::string(kTarget)),
            "pgposture.yml:1:4: byte 0xE9 is not UTF-8; save the file as UTF-8");
  EXPECT_EQ(ErrorOf(std::string(kTarget) + "    databases: [\"\xc0\xaf\"]\n"),
            "pgposture.yml:4:18: byte 0xC0 is not UTF-8; save the file as UTF-8");
  EXPECT_EQ(ErrorOf(std::string("\xff\xfet\0a\0r\0", 8)),
            "pgposture.yml:1:1: byte 0xFF is not UTF-8; save the file as UTF-8");
  // UTF-8 is welcome, byte order mark included.
  const Config config = ParseConfig("\xef\xbb\xbf# r\xc3\xa9sum\xc3\xa9\n" + std::string(kTarget) +
                                        "    labels: {team: \"caf\xc3\xa9 \xf0\x9f\x90\x98\"}\n",
                                    "pgposture.yml");
  EXPECT_EQ(config.targets.at(0).labels.at("team"), "caf\xc3\xa9 \xf0\x9f\x90\x98");
}

TEST(ConfigBadInput, HugeValuesAreRefusedWithShortMessages) {
  const std::string huge(1 << 20, 'a');
  const std::vector<std::string> configs{
      "targets:\n  - name: " + huge + "\n    dsn: \"host=db1\"\n",
      "agent:\n  log_level: " + huge + "\n" + kTarget,
      "agent:\n  concurrency: x" + huge + "\n" + kTarget,
      "agent:\n  interval: " + huge + "s\n" + kTarget,
      std::string(kTarget) + "    databases: " + huge + "\n",
      std::string(kTarget) + "    labels: {team: \"" + huge + "\"}\n",
      "? " + huge + "\n: 1\n" + kTarget,
  };
  for (const std::string& yaml : configs) {
    const std::string message = ErrorOf(yaml);
    EXPECT_TRUE(NamesAPlace(message)) << message.substr(0, 300);
    EXPECT_TRUE(Contains(message, "1048576 bytes long; at most 4096 are accepted") ||
                Contains(message, "1048577 bytes long; at most 4096 are accepted"))
        << message.substr(0, 300);
    EXPECT_LT(message.size(), 200u);
  }
  // Up to the limit, a long value is judged on its merits, quoted whole.
  const std::string message = ErrorOf("agent:\n  log_level: " + std::string(4000, 'w') + "\n" + kTarget);
  EXPECT_TRUE(StartsWith(message, "pgposture.yml:2:14: agent.log_level: invalid value \"www")) << message;
}

TEST(LoadConfigBadInput, RefusesAFileTooLargeToBeAConfiguration) {
  const auto started = steady_clock::now();
  std::string message;
  try {
    LoadConfig("/dev/zero");
  } catch (const ConfigError& error) {
    message = error.what();
  }
  EXPECT_EQ(message, "/dev/zero: larger than 16 MiB; is this the configuration file?");
  EXPECT_LT(steady_clock::now() - started, seconds(10));
}

TEST(ConfigBadInput, EmptyOrBlankDocuments) {
  for (const char* yaml : {"", "\n\n", "   \n", "# only a comment\n", "---\n...\n"}) {
    EXPECT_EQ(ErrorOf(yaml), "pgposture.yml:1:1: empty configuration; list at least the targets") << yaml;
  }
}

// A second document would otherwise be ignored without a word.
TEST(ConfigBadInput, RefusesASecondDocument) {
  EXPECT_EQ(ErrorOf(std::string(kTarget) + "---\nagent: {interval: 1m}\n"),
            "pgposture.yml:5:1: a second YAML document; keep the whole configuration in one");
  // An empty document after the marker holds nothing to ignore.
  EXPECT_NO_THROW(ParseConfig(std::string(kTarget) + "---\n", "pgposture.yml"));
  EXPECT_NO_THROW(ParseConfig(std::string(kTarget) + "...\n", "pgposture.yml"));
}

// yaml-cpp's LoadAll never returns on these (found by tests/fuzz).
TEST(ConfigBadInput, StrayCommaIsAnErrorNotAHang) {
  for (const char* yaml : {",", ",a", ",a\"", ",ars:\n n 20s ds\""}) {
    const auto started = steady_clock::now();
    EXPECT_THROW(ParseConfig(yaml, "pgposture.yml"), ConfigError) << yaml;
    EXPECT_LT(steady_clock::now() - started, seconds(10)) << yaml;
  }
}

// A configuration, valid otherwise, with `value` at the table path `option`
// ("agent.interval", "targets[].labels"); sets `key` to the name messages
// give the option ("targets[0].labels").
std::string ConfigWith(std::string_view option, const std::string& value, std::string& key) {
  constexpr std::string_view kItem = "targets[].";
  if (option.rfind(kItem, 0) == 0) {
    const std::string field(option.substr(kItem.size()));
    key = "targets[0]." + field;
    return std::string("targets:\n  - ") + (field == "name" ? "" : "name: app\n    ") +
           (field == "dsn" ? "" : "dsn: \"host=db1\"\n    ") + field + ": " + value + "\n";
  }
  key = option;
  std::string yaml;
  std::string indent;
  for (std::size_t start = 0, dot = 0; dot != std::string_view::npos; start = dot + 1, indent += "  ") {
    dot = option.find('.', start);
    yaml += indent + std::string(option.substr(start, dot - start)) +
            (dot == std::string_view::npos ? ": " + value : ":") + "\n";
  }
  return key == "targets" ? yaml : yaml + kTarget;
}

// Every option of the table, given a value of a shape it never takes, is
// refused with its own name and the value's line.
TEST(ConfigBadInput, WrongTypesAtEveryLevel) {
  for (const ConfigOption& option : ConfigOptions()) {
    std::string key;
    const std::string yaml = ConfigWith(option.path, "[[{x: 1}]]", key);
    const std::string message = ErrorOf(yaml);
    const std::size_t line =
        1 + static_cast<std::size_t>(std::count(yaml.begin(), yaml.begin() + yaml.find("[[{x"), '\n'));
    EXPECT_TRUE(StartsWith(message, "pgposture.yml:" + std::to_string(line) + ":")) << yaml << message;
    EXPECT_TRUE(Contains(message, key)) << key << "\n" << yaml << message;
    EXPECT_TRUE(Contains(message, "expected")) << yaml << message;
  }
}

TEST(ConfigBadInput, DsnsWithQuotesBracesUnicodeAndSocketsAreAccepted) {
  const Config config = ParseConfig(
      "targets:\n"
      "  - name: socket\n    dsn: \"host=/var/run/postgresql dbname='caf\xc3\xa9 db' user='we{ir}d "
      "\\\\'q'\"\n"
      "  - name: uri\n    dsn: "
      "\"postgresql://app@%2Fvar%2Frun%2Fpostgresql/my%20d%C3%A9b?sslmode=disable\"\n",
      "pgposture.yml");
  ASSERT_EQ(config.targets.size(), 2u);
  EXPECT_EQ(config.targets[0].dsn, "host=/var/run/postgresql dbname='caf\xc3\xa9 db' user='we{ir}d \\'q'");
}

TEST(ConfigBadInput, MalformedDsnsNeverShowTheirPassword) {
  for (const std::string dsn : {"postgresql:/app:canary@db1/app", "postgresql://app:canary@[::1/app",
                                "postgresql://app:can%zzary@db1/app", "postgresql://app:c a n a r y@[db1"}) {
    const std::string message = ErrorOf("targets:\n  - name: app\n    dsn: \"" + dsn + "\"\n");
    EXPECT_TRUE(StartsWith(message, "pgposture.yml:3:10: targets[0].dsn: ")) << message;
    EXPECT_FALSE(Contains(message, "canary") || Contains(message, "c a n")) << message;
  }
}

}  // namespace
}  // namespace pgposture
