#include "agent/config/config_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "agent/config/config_schema.h"

namespace pgposture {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Strings = std::vector<std::string>;
using StringMap = std::map<std::string, std::string>;
using Keys = std::vector<std::string_view>;

const std::string kTestdata = PGPOSTURE_TESTDATA_DIR;

// A target that passes every check, for configurations about other keys.
constexpr const char* kTarget = "targets:\n  - name: app\n    dsn: \"host=db1\"\n";

// The message of the ConfigError that parsing `yaml` throws.
std::string ErrorOf(const std::string& yaml, const std::string& path = "pgposture.yml") {
  try {
    ParseConfig(yaml, path);
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted:\n" << yaml;
  return "";
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string LoadErrorOf(const std::string& path) {
  try {
    LoadConfig(path);
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted " << path;
  return "";
}

TEST(LoadConfig, ReadsEveryOption) {
  const Config config = LoadConfig(kTestdata + "/full.yml");
  EXPECT_EQ(config.path, kTestdata + "/full.yml");

  EXPECT_EQ(config.agent.interval, seconds(90));
  EXPECT_EQ(config.agent.timeout, seconds(20));
  EXPECT_EQ(config.agent.concurrency, 16);
  EXPECT_EQ(config.agent.log_level, "debug");

  EXPECT_EQ(config.listen.metrics, "[::1]:19932");
  EXPECT_EQ(config.listen.grpc, "0.0.0.0:19933");

  EXPECT_EQ(config.policy.ddl.migration_roles, (Strings{"migrator", "deployer"}));
  EXPECT_EQ(config.policy.ddl.migration_client_cidrs, (Strings{"10.20.0.0/24", "fd00::/64"}));
  EXPECT_EQ(config.policy.ddl.migration_application_names, (Strings{"^flyway", "^liquibase"}));
  EXPECT_EQ(config.policy.ddl.window, hours(3 * 24));
  EXPECT_EQ(config.policy.backup.max_archive_age, std::chrono::minutes(15));
  EXPECT_EQ(config.policy.interactive_application_names, (Strings{"^psql$", "^my-console"}));
  EXPECT_EQ(config.policy.required_levels,
            (StringMap{{"local", "collaborating"}, {"prod", "enterprise"}, {"staging", "production"}}));

  ASSERT_EQ(config.targets.size(), 2u);
  const TargetConfig& prod = config.targets[0];
  EXPECT_EQ(prod.name, "app-prod");
  EXPECT_EQ(prod.dsn, "host=db1 port=5432 dbname=app user=pgposture sslmode=verify-full");
  EXPECT_EQ(prod.password_file, kTestdata + "/app-prod.password");
  EXPECT_EQ(prod.environment, "prod");
  EXPECT_EQ(prod.labels, (StringMap{{"project", "app"}, {"team", "payments"}}));
  EXPECT_TRUE(prod.all_databases);
  EXPECT_TRUE(prod.databases.empty());
  EXPECT_EQ(prod.pgbackrest_stanza, "app-prod");

  const TargetConfig& staging = config.targets[1];
  EXPECT_EQ(staging.name, "app.staging_2");
  EXPECT_EQ(staging.dsn, "postgresql://pgposture@db2/app");
  EXPECT_EQ(staging.password_file, "");
  EXPECT_EQ(staging.environment, "staging");
  EXPECT_TRUE(staging.labels.empty());
  EXPECT_FALSE(staging.all_databases);
  EXPECT_EQ(staging.databases, (Strings{"app", "app_audit"}));
}

TEST(LoadConfig, AppliesDefaults) {
  const Config config = LoadConfig(kTestdata + "/minimal.yml");
  EXPECT_EQ(config.agent.interval, seconds(30));
  EXPECT_EQ(config.agent.timeout, seconds(10));
  EXPECT_EQ(config.agent.concurrency, 8);
  EXPECT_EQ(config.agent.log_level, "info");
  EXPECT_EQ(config.listen.metrics, "127.0.0.1:9932");
  EXPECT_EQ(config.listen.grpc, "127.0.0.1:9933");
  EXPECT_TRUE(config.policy.ddl.migration_roles.empty());
  EXPECT_TRUE(config.policy.ddl.migration_client_cidrs.empty());
  EXPECT_TRUE(config.policy.ddl.migration_application_names.empty());
  EXPECT_EQ(config.policy.ddl.window, hours(7 * 24));
  EXPECT_EQ(config.policy.backup.max_archive_age, hours(1));
  EXPECT_EQ(config.policy.interactive_application_names,
            (Strings{"^psql$", "^pgcli$", "^pgAdmin", "^DBeaver", "^DataGrip", "^TablePlus", "^Postico",
                     "^postgres-meta", "^supabase/dashboard"}));
  EXPECT_EQ(config.policy.required_levels,
            (StringMap{{"local", "prototyping"}, {"prod", "production"}, {"staging", "collaborating"}}));
  ASSERT_EQ(config.targets.size(), 1u);
  const TargetConfig& target = config.targets[0];
  EXPECT_EQ(target.name, "app");
  EXPECT_EQ(target.dsn, "host=db1 dbname=app");
  EXPECT_EQ(target.password_file, "");
  EXPECT_EQ(target.environment, "local");
  EXPECT_TRUE(target.labels.empty());
  EXPECT_FALSE(target.all_databases);
  EXPECT_TRUE(target.databases.empty());
  EXPECT_EQ(target.pgbackrest_stanza, "");
}

// The table's defaults and config.h's initializers describe the same thing.
TEST(LoadConfig, DefaultsMatchTheStructInitializers) {
  const Config loaded = LoadConfig(kTestdata + "/minimal.yml");
  const Config initialized;
  EXPECT_EQ(loaded.agent.interval, initialized.agent.interval);
  EXPECT_EQ(loaded.agent.timeout, initialized.agent.timeout);
  EXPECT_EQ(loaded.agent.concurrency, initialized.agent.concurrency);
  EXPECT_EQ(loaded.agent.log_level, initialized.agent.log_level);
  EXPECT_EQ(loaded.listen.metrics, initialized.listen.metrics);
  EXPECT_EQ(loaded.listen.grpc, initialized.listen.grpc);
  EXPECT_EQ(loaded.policy.ddl.window, initialized.policy.ddl.window);
  EXPECT_EQ(loaded.policy.backup.max_archive_age, initialized.policy.backup.max_archive_age);
  EXPECT_EQ(loaded.policy.interactive_application_names, initialized.policy.interactive_application_names);
  EXPECT_EQ(loaded.policy.required_levels, initialized.policy.required_levels);
  EXPECT_EQ(loaded.targets[0].environment, TargetConfig().environment);
}

TEST(ParseConfig, KeepsOtherEnvironmentsDefaultsWhenOneIsSet) {
  const Config config = ParseConfig(
      "policy:\n  environments:\n    staging: {required_level: production}\n" + std::string(kTarget),
      "pgposture.yml");
  EXPECT_EQ(config.policy.required_levels,
            (StringMap{{"local", "prototyping"}, {"prod", "production"}, {"staging", "production"}}));
}

TEST(ParseConfig, TakesEmptySectionsAndListsAsDefaults) {
  const Config config = ParseConfig("agent:\npolicy:\n  ddl:\n    migration_roles:\n" + std::string(kTarget) +
                                        "    labels:\n    databases:\n",
                                    "pgposture.yml");
  EXPECT_EQ(config.agent.interval, seconds(30));
  EXPECT_TRUE(config.policy.ddl.migration_roles.empty());
  EXPECT_TRUE(config.targets[0].labels.empty());
  EXPECT_FALSE(config.targets[0].all_databases);
}

TEST(ParseConfig, ResolvesPasswordFileAgainstTheConfigurationFolder) {
  const std::string yaml = std::string(kTarget) + "    password_file: app-prod.password\n";
  EXPECT_EQ(ParseConfig(yaml, kTestdata + "/pgposture.yml").targets[0].password_file,
            kTestdata + "/app-prod.password");
  EXPECT_EQ(ParseConfig(yaml, kTestdata + "/sub/../pgposture.yml").targets[0].password_file,
            kTestdata + "/app-prod.password");
  const std::string absolute =
      std::string(kTarget) + "    password_file: " + kTestdata + "/app-prod.password\n";
  EXPECT_EQ(ParseConfig(absolute, "/elsewhere/pgposture.yml").targets[0].password_file,
            kTestdata + "/app-prod.password");
}

// One file per kind of error: the whole message, position and key included.
struct BadFile {
  const char* file;
  std::string message;  // after "TESTDATA/FILE:"
};

class BadFileTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(BadFileTest, ReportsPositionKeyAndProblem) {
  const std::string path = kTestdata + "/" + GetParam().file;
  EXPECT_EQ(LoadErrorOf(path), path + ":" + GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    ConfigErrors, BadFileTest,
    ::testing::Values(
        BadFile{"bad_yaml_syntax.yml", "4:8: invalid YAML: end of sequence flow not found"},
        BadFile{"unknown_key.yml", "3:3: agent.intervall: unknown key; did you mean \"interval\"?"},
        BadFile{"wrong_type.yml", "1:9: listen: expected a map, found a scalar"},
        BadFile{"bad_duration.yml",
                "2:13: agent.interval: invalid duration \"30sec\": unknown "
                "unit \"sec\"; use w, d, h, m, s or ms, as in 1m30s"},
        BadFile{"interval_too_short.yml", "2:13: agent.interval: 500ms is below the minimum of 1s"},
        BadFile{"timeout_exceeds_interval.yml",
                "3:12: agent.timeout: 15s exceeds agent.interval (10s); a "
                "database must be done within one cycle: lower the timeout or "
                "raise the interval"},
        BadFile{"concurrency_out_of_range.yml", "2:16: agent.concurrency: 2000 is above the maximum of 1024"},
        BadFile{"duplicate_target_name.yml",
                "6:11: targets[2].name: duplicate target name \"app\" (first "
                "defined at line 2)"},
        BadFile{"missing_dsn.yml", "2:5: targets[0].dsn: missing required key"},
        BadFile{"missing_targets.yml", "1:1: targets: missing required key"},
        BadFile{"unreadable_password_file.yml",
                "4:20: targets[0].password_file: cannot read \"" + kTestdata +
                    "/no-such.password\": No such file or directory; check the "
                    "path and that the agent's user may read the file"},
        BadFile{"invalid_environment.yml",
                "4:18: targets[0].environment: invalid value \"production\"; "
                "expected one of: local, staging, prod"},
        BadFile{"invalid_required_level.yml",
                "3:28: policy.environments.prod.required_level: invalid value "
                "\"strict\"; expected one of: prototyping, collaborating, "
                "production, enterprise"},
        BadFile{"dsn_with_password.yml",
                "3:10: targets[0].dsn: dsn carries a password; put it in "
                "password_file"},
        BadFile{"invalid_cidr.yml",
                "5:9: policy.ddl.migration_client_cidrs[1]: invalid CIDR "
                "\"10.30.0.1/16\": bits set after the prefix; did you mean "
                "10.30.0.0/16?"},
        BadFile{"invalid_listen_address.yml",
                "2:12: listen.metrics: invalid listen address \"::1:9932\": "
                "put an IPv6 address in brackets, as in [::1]:9932"},
        BadFile{"invalid_target_name.yml",
                "2:11: targets[0].name: invalid target name \"app prod\"; use "
                "letters, digits, \"_\", \".\" and \"-\", starting with a letter "
                "or digit (it becomes a resource name and a metric label)"},
        BadFile{"invalid_stanza.yml",
                "4:24: targets[0].pgbackrest_stanza: invalid pgbackrest stanza \"--repo1-path=/tmp\"; use "
                "letters, digits, \"_\", \".\" and \"-\", starting with a letter or digit"},
        BadFile{"reserved_label.yml",
                "6:7: targets[0].labels.environment: label name \"environment\" is "
                "reserved: pgposture sets it on every series; choose another name"},
        BadFile{"bad_databases.yml",
                "4:16: targets[0].databases: expected \"all\" or a list of "
                "database names, found a scalar; write [app] for one database"},
        BadFile{"invalid_log_level.yml",
                "2:14: agent.log_level: invalid value \"warning\"; expected "
                "one of: trace, debug, info, warn, error, critical, off"},
        BadFile{"empty.yml", "1:1: empty configuration; list at least the targets"},
        BadFile{"top_level_list.yml", "1:1: expected a map, found a list"}),
    [](const ::testing::TestParamInfo<BadFile>& case_info) {
      const std::string file = case_info.param.file;
      return file.substr(0, file.find('.'));
    });

// The C++ library words the reason, so only what pgposture adds is pinned.
TEST(LoadConfig, ReportsAnInvalidRegexWithTheLibrarysReason) {
  const std::string path = kTestdata + "/invalid_regex.yml";
  const std::string message = LoadErrorOf(path);
  EXPECT_TRUE(StartsWith(message, path + ":3:46: policy.ddl.migration_application_names[1]: "
                                         "invalid regular expression \"(liquibase\": "))
      << message;
}

// libpq words the reason, so only what pgposture adds is pinned here.
TEST(LoadConfig, ReportsAnInvalidDsnWithLibpqsReason) {
  const std::string path = kTestdata + "/invalid_dsn.yml";
  const std::string message = LoadErrorOf(path);
  EXPECT_TRUE(StartsWith(message, path + ":3:10: targets[0].dsn: invalid connection string: ")) << message;
  EXPECT_TRUE(Contains(message, "bogus")) << message;
  EXPECT_FALSE(Contains(message, "host=db1")) << message;
}

TEST(LoadConfig, ReportsAnUnreadableFile) {
  const std::string missing = kTestdata + "/no-such.yml";
  EXPECT_EQ(LoadErrorOf(missing), missing + ": cannot read: No such file or directory");
  EXPECT_EQ(LoadErrorOf(kTestdata), kTestdata + ": cannot read: Is a directory");
}

TEST(ParseConfig, ReportsTypeMismatches) {
  EXPECT_EQ(ErrorOf("agent:\n  concurrency: eight\n" + std::string(kTarget)),
            "pgposture.yml:2:16: agent.concurrency: \"eight\" is not an integer");
  EXPECT_EQ(ErrorOf("agent:\n  concurrency: 1.5\n" + std::string(kTarget)),
            "pgposture.yml:2:16: agent.concurrency: \"1.5\" is not an integer");
  EXPECT_EQ(ErrorOf("agent:\n  interval: [30s]\n" + std::string(kTarget)),
            "pgposture.yml:2:13: agent.interval: expected a duration, found a list");
  EXPECT_EQ(ErrorOf("agent:\n  interval:\n  timeout: 5s\n" + std::string(kTarget)),
            "pgposture.yml:2:3: agent.interval: expected a duration, found nothing");
  EXPECT_EQ(ErrorOf("policy:\n  ddl:\n    migration_roles: migrator\n" + std::string(kTarget)),
            "pgposture.yml:3:22: policy.ddl.migration_roles: expected a list "
            "of strings, found a scalar; write [migrator] for one item");
  EXPECT_EQ(ErrorOf("policy:\n  ddl:\n    migration_roles: [[a]]\n" + std::string(kTarget)),
            "pgposture.yml:3:23: policy.ddl.migration_roles[0]: expected a "
            "string, found a list");
  EXPECT_EQ(ErrorOf("policy:\n  ddl: [window]\n" + std::string(kTarget)),
            "pgposture.yml:2:8: policy.ddl: expected a map, found a list");
  EXPECT_EQ(ErrorOf("targets: {name: app}\n"),
            "pgposture.yml:1:10: targets: expected a list of maps, found a map");
  EXPECT_EQ(ErrorOf("targets:\n  - app\n"), "pgposture.yml:2:5: targets[0]: expected a map, found a scalar");
  EXPECT_EQ(ErrorOf("targets:\n  - name: {first: app}\n    dsn: \"host=db1\"\n"),
            "pgposture.yml:2:11: targets[0].name: expected a string, found a map");
  EXPECT_EQ(ErrorOf(std::string(kTarget) + "    labels: [project]\n"),
            "pgposture.yml:4:13: targets[0].labels: expected a map of strings, "
            "found a list");
  EXPECT_EQ(ErrorOf(std::string(kTarget) + "    labels: {project: [a]}\n"),
            "pgposture.yml:4:23: targets[0].labels.project: expected a string, "
            "found a list");
  EXPECT_EQ(ErrorOf("? [agent]\n: 1\n" + std::string(kTarget)),
            "pgposture.yml:1:3: expected a scalar as key, found a list");
}

TEST(ParseConfig, ReportsUnknownKeys) {
  EXPECT_EQ(ErrorOf("agent:\n  concurency: 4\n" + std::string(kTarget)),
            "pgposture.yml:2:3: agent.concurency: unknown key; did you mean "
            "\"concurrency\"?");
  EXPECT_EQ(ErrorOf("agent:\n  workers: 4\n" + std::string(kTarget)),
            "pgposture.yml:2:3: agent.workers: unknown key; expected one of: "
            "interval, timeout, concurrency, log_level, shard, log_format");
  EXPECT_EQ(ErrorOf("target:\n  - name: app\n"),
            "pgposture.yml:1:1: target: unknown key; did you mean \"targets\"?");
  EXPECT_EQ(ErrorOf(std::string(kTarget) + "    passwordfile: x\n"),
            "pgposture.yml:4:5: targets[0].passwordfile: unknown key; did you "
            "mean \"password_file\"?");
  EXPECT_EQ(
      ErrorOf("policy:\n  environments:\n    qa: {required_level: production}\n" + std::string(kTarget)),
      "pgposture.yml:3:5: policy.environments.qa: unknown key; expected one "
      "of: local, staging, prod");
  EXPECT_EQ(ErrorOf("agent:\n  interval: 30s\n  interval: 1m\n" + std::string(kTarget)),
            "pgposture.yml:3:3: agent.interval: duplicate key (first at line 2)");
}

// A key is one name of its map: spelled as a path, it reaches no option of
// another map (a top-level `targets[].databases` once stored into a target
// that did not exist).
TEST(ParseConfig, RefusesKeysSpelledAsPaths) {
  for (const auto& [text, error] : std::vector<std::pair<std::string, std::string>>{
           {"targets[].databases: [app]\n", "pgposture.yml:1:1: targets[].databases: unknown key"},
           {"agent.interval: 5s\n", "pgposture.yml:1:1: agent.interval: unknown key"},
           {"policy:\n  ddl.migration_roles: [deploy]\n",
            "pgposture.yml:2:3: policy.ddl.migration_roles: unknown key"},
       }) {
    const std::string message = ErrorOf(text + kTarget);
    EXPECT_TRUE(StartsWith(message, error)) << message;
  }
}

TEST(ParseConfig, ReadsGrpcTlsAndTokenFiles) {
  const std::string file = kTestdata + "/app-prod.password";  // any readable file
  const Config config = ParseConfig("listen:\n  grpc_tls: {cert_file: " + file + ", key_file: " + file +
                                        ", client_ca_file: " + file + "}\n  grpc_auth: {token_file: " + file +
                                        ", collect_token_file: " + file + "}\n" + kTarget,
                                    "pgposture.yml");
  EXPECT_EQ(config.listen.grpc_tls_cert_file, file);
  EXPECT_EQ(config.listen.grpc_tls_key_file, file);
  EXPECT_EQ(config.listen.grpc_tls_client_ca_file, file);
  EXPECT_EQ(config.listen.grpc_token_file, file);
  EXPECT_EQ(config.listen.grpc_collect_token_file, file);
}

TEST(ParseConfig, GrpcTlsNeedsCertificateAndKeyTogether) {
  const std::string file = kTestdata + "/app-prod.password";
  EXPECT_EQ(ErrorOf("listen:\n  grpc_tls:\n    cert_file: " + file + "\n" + kTarget),
            "pgposture.yml:3:16: listen.grpc_tls.key_file: missing; cert_file needs its private key");
  EXPECT_EQ(ErrorOf("listen:\n  grpc_tls:\n    key_file: " + file + "\n" + kTarget),
            "pgposture.yml:3:15: listen.grpc_tls.cert_file: missing; key_file needs its certificate");
  EXPECT_EQ(ErrorOf("listen:\n  grpc_tls:\n    client_ca_file: " + file + "\n" + kTarget),
            "pgposture.yml:3:21: listen.grpc_tls.cert_file: missing; client certificates are checked over "
            "TLS only; set cert_file and key_file");
  EXPECT_TRUE(StartsWith(
      ErrorOf("listen:\n  grpc_auth:\n    token_file: /nonexistent/token\n" + std::string(kTarget)),
      "pgposture.yml:3:17: listen.grpc_auth.token_file: cannot read"));
}

TEST(ParseConfig, ReportsDurationsOutOfRange) {
  EXPECT_EQ(ErrorOf("agent:\n  timeout: 50ms\n" + std::string(kTarget)),
            "pgposture.yml:2:12: agent.timeout: 50ms is below the minimum of 100ms");
  EXPECT_EQ(ErrorOf("agent:\n  interval: 5s\n" + std::string(kTarget)),
            "pgposture.yml:2:13: agent.interval: 5s is shorter than agent.timeout "
            "(10s, the default); raise the interval or lower the timeout");
  EXPECT_EQ(ErrorOf("agent:\n  interval: -30s\n" + std::string(kTarget)),
            "pgposture.yml:2:13: agent.interval: invalid duration \"-30s\": "
            "negative durations are not allowed");
  EXPECT_EQ(ErrorOf("policy:\n  ddl: {window: 0s}\n" + std::string(kTarget)),
            "pgposture.yml:2:17: policy.ddl.window: 0s is below the minimum of 1m");
}

TEST(ParseConfig, AcceptsTimeoutEqualToInterval) {
  EXPECT_EQ(ParseConfig("agent: {interval: 1s, timeout: 1s}\n" + std::string(kTarget), "pgposture.yml")
                .agent.timeout,
            seconds(1));
}

TEST(ParseConfig, ReportsConcurrencyOutOfRange) {
  EXPECT_EQ(ErrorOf("agent: {concurrency: 0}\n" + std::string(kTarget)),
            "pgposture.yml:1:22: agent.concurrency: 0 is below the minimum of 1");
  EXPECT_EQ(ErrorOf("agent: {concurrency: 99999999999999999999}\n" + std::string(kTarget)),
            "pgposture.yml:1:22: agent.concurrency: 9223372036854775807 is "
            "above the maximum of 1024");
  EXPECT_EQ(ParseConfig("agent: {concurrency: 1024}\n" + std::string(kTarget), "p.yml").agent.concurrency,
            1024);
}

TEST(ParseConfig, ReportsMissingOrEmptyTargets) {
  EXPECT_EQ(ErrorOf("targets: []\n"), "pgposture.yml:1:10: targets: expected at least 1 item, found 0");
  EXPECT_EQ(ErrorOf("targets:\n"), "pgposture.yml:1:1: targets: expected at least 1 item, found 0");
  EXPECT_EQ(ErrorOf("targets:\n  - dsn: \"host=db1\"\n"),
            "pgposture.yml:2:5: targets[0].name: missing required key");
}

TEST(ParseConfig, ReportsInvalidTargetNames) {
  for (const char* name : {"-app", ".app", "app/prod", "app:prod", "\"\"", "épicerie"}) {
    EXPECT_TRUE(StartsWith(ErrorOf("targets:\n  - name: " + std::string(name) + "\n    dsn: \"host=db1\"\n"),
                           "pgposture.yml:2:11: targets[0].name: invalid target name"))
        << name;
  }
  for (const char* name : {"a", "0", "App_1.prod-eu"}) {
    EXPECT_NO_THROW(ParseConfig("targets:\n  - name: " + std::string(name) + "\n    dsn: \"host=db1\"\n",
                                "pgposture.yml"))
        << name;
  }
}

TEST(ParseConfig, ReportsDuplicateTargetNamesAcrossTheList) {
  EXPECT_EQ(ErrorOf("targets:\n  - {name: a, dsn: \"host=db1\"}\n  - {name: b, "
                    "dsn: \"host=db2\"}\n  - {name: b, dsn: \"host=db3\"}\n"),
            "pgposture.yml:4:12: targets[2].name: duplicate target name \"b\" "
            "(first defined at line 3)");
}

TEST(ParseConfig, ReportsInvalidLabelNames) {
  const auto label_error = [](const std::string& label) {
    return ErrorOf(std::string(kTarget) + "    labels: {" + label + ": x}\n");
  };
  EXPECT_EQ(label_error("team-a"),
            "pgposture.yml:4:14: targets[0].labels.team-a: invalid label name "
            "\"team-a\"; use letters, digits and \"_\", not starting with a digit");
  EXPECT_TRUE(Contains(label_error("1team"), "invalid label name \"1team\""));
  EXPECT_EQ(label_error("__meta"),
            "pgposture.yml:4:14: targets[0].labels.__meta: label name \"__meta\" is "
            "reserved: names starting with \"__\" belong to Prometheus");
  EXPECT_TRUE(Contains(label_error("target"), "label name \"target\" is reserved"));
  EXPECT_TRUE(Contains(label_error("database"), "label name \"database\" is reserved"));
  EXPECT_TRUE(
      Contains(label_error("check"), "label name \"check\" is reserved: a pgposture metric family uses it"));
  EXPECT_NO_THROW(ParseConfig(std::string(kTarget) + "    labels: {_team: a, Team2: b}\n", "p"));
}

TEST(ParseConfig, ReportsInvalidDatabases) {
  EXPECT_EQ(ErrorOf(std::string(kTarget) + "    databases: {app: true}\n"),
            "pgposture.yml:4:16: targets[0].databases: expected \"all\" or a "
            "list of database names, found a map");
  EXPECT_EQ(ErrorOf(std::string(kTarget) + "    databases: [app, \"\"]\n"),
            "pgposture.yml:4:22: targets[0].databases[1]: empty string");
  EXPECT_EQ(ErrorOf(std::string(kTarget) + "    databases: [app, [b]]\n"),
            "pgposture.yml:4:22: targets[0].databases[1]: expected a string, "
            "found a list");
}

TEST(ParseConfig, ReportsInvalidCidrs) {
  const auto cidr_error = [](const std::string& cidr) {
    return ErrorOf("policy: {ddl: {migration_client_cidrs: [\"" + cidr + "\"]}}\n" + std::string(kTarget));
  };
  const std::string prefix = "pgposture.yml:1:41: policy.ddl.migration_client_cidrs[0]: ";
  EXPECT_EQ(cidr_error("10.0.0.5"), prefix +
                                        "invalid CIDR \"10.0.0.5\": missing prefix length; write one "
                                        "host as 10.0.0.5/32");
  EXPECT_EQ(cidr_error("fd00::5"), prefix +
                                       "invalid CIDR \"fd00::5\": missing prefix length; write one "
                                       "host as fd00::5/128");
  EXPECT_EQ(cidr_error("10.0.0/24"), prefix +
                                         "invalid CIDR \"10.0.0/24\": \"10.0.0\" is not an IPv4 or IPv6 "
                                         "address");
  EXPECT_EQ(cidr_error("10.0.0.0/33"),
            prefix + "invalid CIDR \"10.0.0.0/33\": prefix length must be from 0 to 32");
  EXPECT_EQ(cidr_error("fd00::/129"),
            prefix + "invalid CIDR \"fd00::/129\": prefix length must be from 0 to 128");
  EXPECT_EQ(cidr_error("10.0.0.0/"),
            prefix + "invalid CIDR \"10.0.0.0/\": prefix length must be from 0 to 32");
  EXPECT_EQ(cidr_error("fd00::1/64"), prefix +
                                          "invalid CIDR \"fd00::1/64\": bits set after the prefix; did "
                                          "you mean fd00::/64?");
  EXPECT_NO_THROW(
      ParseConfig("policy: {ddl: {migration_client_cidrs: [0.0.0.0/0, "
                  "10.1.2.3/32, \"::/0\", \"2001:db8::/32\"]}}\n" +
                      std::string(kTarget),
                  "p"));
}

TEST(ParseConfig, ReportsInvalidListenAddresses) {
  const auto listen_error = [](const std::string& address) {
    return ErrorOf("listen: {grpc: \"" + address + "\"}\n" + std::string(kTarget));
  };
  const std::string prefix = "pgposture.yml:1:16: listen.grpc: invalid listen address ";
  EXPECT_EQ(listen_error("127.0.0.1"),
            prefix + "\"127.0.0.1\": missing port; write host:port, as in 127.0.0.1:9932");
  EXPECT_EQ(listen_error("127.0.0.1:65536"),
            prefix + "\"127.0.0.1:65536\": port must be a number from 0 to 65535");
  EXPECT_EQ(listen_error("127.0.0.1:"), prefix + "\"127.0.0.1:\": port must be a number from 0 to 65535");
  EXPECT_EQ(listen_error("localhost:http"),
            prefix + "\"localhost:http\": port must be a number from 0 to 65535");
  EXPECT_EQ(listen_error("127.0.0.256:9933"),
            prefix +
                "\"127.0.0.256:9933\": \"127.0.0.256\" is not an IP address or "
                "host name");
  EXPECT_EQ(listen_error(":9933"), prefix + "\":9933\": \"\" is not an IP address or host name");
  EXPECT_EQ(listen_error("[::1:9933"), prefix +
                                           "\"[::1:9933\": no IPv6 address between the brackets; write "
                                           "[::1]:9932");
  EXPECT_EQ(listen_error("[10.0.0.1]:9933"), prefix +
                                                 "\"[10.0.0.1]:9933\": no IPv6 address between the brackets; "
                                                 "write [::1]:9932");
  EXPECT_EQ(listen_error("[::1]"), prefix + "\"[::1]\": missing port; write host:port, as in [::1]:9932");
  for (const char* address : {"0.0.0.0:0", "localhost:65535", "[::]:9933", "db-1.example:1"}) {
    EXPECT_NO_THROW(ParseConfig("listen: {grpc: \"" + std::string(address) + "\"}\n" + kTarget, "p"))
        << address;
  }
}

TEST(ParseConfig, ReportsInvalidChoices) {
  EXPECT_EQ(ErrorOf("agent: {log_level: verbose}\n" + std::string(kTarget)),
            "pgposture.yml:1:20: agent.log_level: invalid value \"verbose\"; "
            "expected one of: trace, debug, info, warn, error, critical, off");
  EXPECT_EQ(ErrorOf(std::string(kTarget) + "    environment: stagging\n"),
            "pgposture.yml:4:18: targets[0].environment: invalid value "
            "\"stagging\"; did you mean \"staging\"?");
  EXPECT_EQ(ErrorOf("policy: {environments: {local: {required_level: prod}}}\n" + std::string(kTarget)),
            "pgposture.yml:1:49: policy.environments.local.required_level: invalid "
            "value \"prod\"; expected one of: prototyping, collaborating, "
            "production, enterprise");
}

TEST(ParseConfig, ReportsInvalidRegexAndEmptyPattern) {
  const std::string message =
      ErrorOf("policy: {ddl: {migration_application_names: ['[a-']}}\n" + std::string(kTarget));
  EXPECT_TRUE(StartsWith(message,
                         "pgposture.yml:1:46: policy.ddl.migration_application_names[0]: invalid "
                         "regular expression \"[a-\": "))
      << message;
  EXPECT_NE(message.back(), '.');
  EXPECT_EQ(ErrorOf("policy: {ddl: {migration_application_names: ['']}}\n" + std::string(kTarget)),
            "pgposture.yml:1:46: policy.ddl.migration_application_names[0]: "
            "empty string");
}

TEST(ParseConfig, ReportsYamlSyntaxErrors) {
  EXPECT_EQ(ErrorOf("agent: interval: 30s\n"), "pgposture.yml:1:16: invalid YAML: illegal map value");
  EXPECT_EQ(ErrorOf("targets: *missing\n"),
            "pgposture.yml:1:10: invalid YAML: the referenced anchor is not defined");
}

TEST(ParseConfig, ReportsEmptyOrNonMapDocuments) {
  EXPECT_EQ(ErrorOf(""), "pgposture.yml:1:1: empty configuration; list at least the targets");
  EXPECT_EQ(ErrorOf("---\n"), "pgposture.yml:1:1: empty configuration; list at least the targets");
  EXPECT_EQ(ErrorOf("targets\n"), "pgposture.yml:1:1: expected a map, found a scalar");
}

TEST(ParseConfig, ReportsADsnWithAPasswordWithoutShowingIt) {
  const std::vector<std::string> dsns{"host=db1 user=app password=hunter2",
                                      "postgresql://app:s3cr3t@db1/app"};
  for (const std::string& dsn : dsns) {
    const std::string message = ErrorOf("targets:\n  - name: app\n    dsn: \"" + dsn + "\"\n");
    EXPECT_EQ(message,
              "pgposture.yml:3:10: targets[0].dsn: dsn carries a password; put "
              "it in password_file");
  }
}

// Whatever goes wrong, neither a DSN nor a password reaches a message.
TEST(ParseConfig, NeverShowsSecrets) {
  const std::string dsn = "host=db1 user=app password=hunter2";
  const std::vector<std::string> configs{
      "targets: \"" + dsn + "\"\n",
      "targets:\n  - \"" + dsn + "\"\n",
      "targets:\n  - name: app\n    dsn: [\"" + dsn + "\"]\n",
      "targets:\n  - name: app\n    dsn: {\"" + dsn + "\": 1}\n",
      "targets:\n  - name: \"app prod\"\n    dsn: \"" + dsn + "\"\n",
      "targets:\n  - name: app\n    dsn: \"" + dsn + " bogus=1\"\n",
      // A line missing its colon joins the value above it.
      "targets:\n  - name: app\n    dsn " + dsn + "\n",
      "targets:\n  - name: app\n    environment: prod\n    dsn " + dsn + "\n",
      "targets:\n  - name: app\n    \"" + dsn + "\": 1\n",
      "targets:\n  - {name: app, dsn: \"host=db1\", labels: {\"" + dsn + "\": x}}\n",
      "agent: {log_level: \"postgresql://app:s3cr3t@db1/app\"}\n",
      // The password file is found, then the target fails for another reason.
      "targets:\n  - name: app\n    dsn: \"host=db1\"\n    password_file: "
      "app-prod.password\n    labels: {__x: y}\n",
  };
  for (const std::string& yaml : configs) {
    const std::string message = ErrorOf(yaml, kTestdata + "/pgposture.yml");
    EXPECT_TRUE(StartsWith(message, kTestdata + "/pgposture.yml:")) << message;
    EXPECT_FALSE(Contains(message, "hunter2") || Contains(message, "s3cr3t") ||
                 Contains(message, "password=") || Contains(message, "host=db1"))
        << message;
  }
  for (const auto& entry : std::filesystem::directory_iterator(kTestdata)) {
    if (entry.path().extension() != ".yml") continue;
    try {
      LoadConfig(entry.path().string());
    } catch (const ConfigError& error) {
      const std::string message = error.what();
      EXPECT_FALSE(Contains(message, "hunter2") || Contains(message, "password=")) << message;
    }
  }
}

TEST(ParseConfig, WithholdsValuesThatMayHoldAPassword) {
  // A more indented line continues the value above it.
  EXPECT_EQ(ErrorOf("targets:\n  - name: app\n      host=db1 password=hunter2\n"),
            "pgposture.yml:2:11: targets[0].name: invalid target name \"(withheld: "
            "it may hold a password)\"; use letters, digits, \"_\", \".\" and \"-\", "
            "starting with a letter or digit (it becomes a resource name and a "
            "metric label)");
  // A line missing its colon becomes a key.
  EXPECT_EQ(ErrorOf("targets:\n  - name: app\n    dsn host=db1 password=hunter2\n"),
            "pgposture.yml:3:5: this line may hold a password, so the problem is not "
            "shown; check its syntax");
}

TEST(ConfigReferenceMarkdown, HasOneRowPerOption) {
  const std::string markdown = ConfigReferenceMarkdown();
  EXPECT_TRUE(StartsWith(markdown, "| key | type | default | description |\n| --- |"));
  for (const ConfigOption& option : ConfigOptions()) {
    EXPECT_TRUE(Contains(markdown, "| `" + std::string(option.path) + "` | ")) << option.path;
  }
  EXPECT_EQ(std::count(markdown.begin(), markdown.end(), '\n'), ConfigOptions().size() + 2);
}

TEST(ConfigReferenceMarkdown, ShowsTypeDefaultAndLimits) {
  const std::string markdown = ConfigReferenceMarkdown();
  EXPECT_TRUE(Contains(markdown,
                       "| `agent.interval` | duration | `30s` | How often "
                       "every database is audited; at least 1s |\n"));
  EXPECT_TRUE(Contains(markdown, "| `agent.concurrency` | integer | `8` | Databases collected at once; "));
  EXPECT_TRUE(Contains(markdown, "cannot hold every slot; from 1 to 1024 |\n"));
  EXPECT_TRUE(Contains(markdown, "| `targets[].name` | string | required |"));
  EXPECT_TRUE(Contains(markdown, "| `targets[].environment` | string | `local` |"));
  EXPECT_TRUE(Contains(markdown, "one of `local`, `staging`, `prod` |\n"));
}

TEST(ConfigSchema, ListsTheKeysOfEachMap) {
  EXPECT_EQ(ConfigChildKeys(""), (Keys{"agent", "listen", "policy", "targets_file", "targets"}));
  EXPECT_EQ(ConfigChildKeys("policy"),
            (Keys{"ddl", "backup", "interactive_application_names", "environments"}));
  EXPECT_EQ(ConfigChildKeys("targets[]"), (Keys{"name", "dsn", "password_file", "environment", "labels",
                                                "databases", "pgbackrest_stanza"}));
  EXPECT_TRUE(ConfigChildKeys("agent.interval").empty());
  EXPECT_EQ(FindConfigOption("agent"), nullptr);
  ASSERT_NE(FindConfigOption("targets[].dsn"), nullptr);
  EXPECT_TRUE(FindConfigOption("targets[].dsn")->required);
}

}  // namespace
}  // namespace pgposture
