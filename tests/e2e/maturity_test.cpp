// The question a team asks before going live, end to end: `pgposture check`
// against a cluster set up like a prototype and one set up for production.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/e2e/pgposture_binary.h"
#include "tests/harness/pg_cluster.h"
#include "tests/harness/test_certificate.h"

namespace pgposture::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kAgentPassword = "agent-maturity-pw";

v1::CheckStatus StatusOf(const v1::DatabasePosture& posture, const std::string& check_id) {
  return FindingOf(posture, check_id).status();
}

// The harness's own psql sessions are interactive superuser sessions too:
// wait until those that set the cluster up have gone.
void WaitForSetupSessionsToEnd(const PgCluster& cluster) {
  for (int i = 0; i < 50; ++i) {
    if (cluster.PsqlValue("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'psql' "
                          "AND pid <> pg_backend_pid()") == "0") {
      return;
    }
    std::this_thread::sleep_for(100ms);
  }
}

// Runs `pgposture check` for the one database of `cluster` as the agent.
v1::DatabasePosture Check(const PgCluster& cluster, const std::string& dsn_extra, int expected_exit,
                          const std::vector<std::string>& extra_args = {}) {
  const std::string password_file = WriteTempFile("agent.password", std::string(kAgentPassword) + "\n");
  const std::string config = WriteTempFile(
      "pgposture.yml", "targets:\n  - name: app\n    dsn: \"" + cluster.Dsn("postgres", "agent") + dsn_extra +
                           "\"\n    password_file: " + password_file + "\n    environment: prod\n");
  std::vector<std::string> args{"check", "--config", config, "--format", "json"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  const ProcessResult run = RunPgposture(args);
  EXPECT_EQ(run.exit_code, expected_exit) << run.err;
  const v1::CheckReport report = ParseReport(run.out);
  EXPECT_EQ(report.databases_size(), 1);
  return report.databases_size() ? report.databases(0) : v1::DatabasePosture();
}

TEST(MaturityTest, PrototypeClusterIsAPrototypeAndSaysWhy) {
  PgClusterOptions options;
  options.pgaudit = false;
  options.hba =
      "local all all trust\n"
      "host all postgres 127.0.0.1/32 trust\n"
      "host all all 0.0.0.0/0 trust\n";
  PgCluster cluster(options);
  cluster.Psql(std::string("CREATE ROLE agent LOGIN PASSWORD '") + kAgentPassword +
               "' IN ROLE pg_monitor, pg_read_all_settings");
  cluster.Psql("SET password_encryption = 'md5'; CREATE ROLE dev LOGIN PASSWORD 'dev-password'");
  cluster.Psql("CREATE ROLE admin LOGIN SUPERUSER");
  ASSERT_EQ(RunPgposture({"install", "--dsn", cluster.Dsn(), "--agent-role", "agent"}).exit_code, 0);
  WaitForSetupSessionsToEnd(cluster);

  // The environment requires production: a prototype fails the gate.
  const v1::DatabasePosture posture = Check(cluster, "", 1);
  EXPECT_EQ(posture.maturity_level(), v1::MATURITY_LEVEL_PROTOTYPING);
  EXPECT_EQ(posture.required_level(), v1::MATURITY_LEVEL_PRODUCTION);
  EXPECT_FALSE(posture.pgaudit().loaded());
  EXPECT_EQ(posture.backup().mode(), v1::BACKUP_MODE_NONE);
  EXPECT_FALSE(posture.network().ssl());
  for (const char* check : {"migrations.history_table_exists", "pgaudit.loaded", "backup.pitr",
                            "roles.no_md5_or_plaintext_passwords", "network.no_rule_open_to_all",
                            "network.no_remote_trust", "network.ssl_on", "roles.only_bootstrap_superuser"}) {
    EXPECT_EQ(StatusOf(posture, check), v1::CHECK_STATUS_FAIL) << check;
    EXPECT_FALSE(FindingOf(posture, check).remediation().empty()) << check;
  }
}

TEST(MaturityTest, ProductionClusterReachesProductionAndTheAgentWritesNothing) {
  const TestCertificate certificate;
  PgClusterOptions options;
  options.archiving = true;
  options.ssl_dir = certificate.dir();
  options.conf_lines = {"pgaudit.log = 'ddl, role, write'", "archive_timeout = 60", "log_statement = 'all'",
                        "log_line_prefix = '%a|'"};
  PgCluster cluster(options);
  // Everything before `install`, so none of it counts as out-of-band DDL.
  cluster.Psql("CREATE EXTENSION pgaudit");
  cluster.Psql(
      "CREATE TABLE public.flyway_schema_history (installed_rank int PRIMARY KEY, version text, "
      "description text, script text, installed_on timestamptz DEFAULT now(), success bool)");
  cluster.Psql(
      "INSERT INTO public.flyway_schema_history VALUES (1, '1', 'init', 'V1__init.sql', now(), true)");
  cluster.Psql(std::string("CREATE ROLE agent LOGIN PASSWORD '") + kAgentPassword + "'");
  cluster.Psql("GRANT SELECT ON public.flyway_schema_history TO agent");
  ASSERT_EQ(RunPgposture({"install", "--dsn", cluster.Dsn(), "--agent-role", "agent"}).exit_code, 0);
  // A WAL segment archived for real, so archiving is healthy and fresh.
  cluster.Psql("SELECT pg_switch_wal()");
  for (int i = 0; i < 100 && cluster.PsqlValue("SELECT archived_count FROM pg_stat_archiver") == "0"; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  WaitForSetupSessionsToEnd(cluster);
  const auto log_size = std::ifstream(cluster.dir() + "/postgres.log", std::ios::ate).tellg();

  const v1::DatabasePosture posture = Check(cluster, " sslmode=require", 0, {"--require", "production"});
  for (const v1::Finding& finding : posture.findings()) {
    if (finding.level() <= v1::MATURITY_LEVEL_PRODUCTION) {
      EXPECT_EQ(finding.status(), v1::CHECK_STATUS_PASS) << finding.check_id() << ": " << finding.detail();
    }
  }
  EXPECT_EQ(posture.maturity_level(), v1::MATURITY_LEVEL_PRODUCTION)
      << "enterprise also needs a staging sibling";
  EXPECT_EQ(StatusOf(posture, "environments.staging_sibling"), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(StatusOf(posture, "pgaudit.logs_write"), v1::CHECK_STATUS_PASS);
  // Every fact area is in the report.
  EXPECT_TRUE(posture.has_pgaudit() && posture.has_backup() && posture.has_roles() && posture.has_network() &&
              posture.has_ddl() && posture.has_migrations());
  EXPECT_EQ(posture.backup().mode(), v1::BACKUP_MODE_PITR);
  EXPECT_TRUE(posture.network().ssl());
  EXPECT_TRUE(posture.ddl().capture_enabled());
  ASSERT_EQ(posture.migrations().tables_size(), 1);
  EXPECT_EQ(posture.migrations().tables(0).latest_version(), "1");

  // With log_statement = all, the server logged every statement the agent
  // sent: no line of any of them writes.
  std::ifstream log(cluster.dir() + "/postgres.log");
  log.seekg(log_size);
  // A log line starts with the prefix "application|"; a line without one
  // continues the statement above it.
  const std::regex log_line(R"(^[^|\s]*\|)");
  // Simple queries log "statement: ...", prepared ones "execute <name>: ...".
  const std::regex agent_statement(R"(^pgposture\|.*(?:statement|execute [^:]+): (.*)$)");
  const std::regex write(
      R"(^\s*(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|CREATE|ALTER|DROP|GRANT|REVOKE|COPY|BEGIN\s+READ\s+WRITE|SET\s+(SESSION\s+)?transaction_read_only)\b)",
      std::regex::icase);
  std::vector<std::string> statements;
  bool in_agent_statement = false;
  for (std::string line; std::getline(log, line);) {
    std::smatch match;
    if (!std::regex_search(line, log_line)) {
      if (in_agent_statement) statements.back() += "\n" + line;
      continue;
    }
    in_agent_statement = std::regex_match(line, match, agent_statement);
    if (in_agent_statement) statements.push_back(match[1].str());
  }
  std::string everything;
  for (const std::string& statement : statements) {
    std::istringstream statement_lines(statement);
    for (std::string line; std::getline(statement_lines, line);) {
      EXPECT_FALSE(std::regex_search(line, write)) << line;
    }
    everything += statement;
  }
  // The log holds the fact reads themselves, as sent.
  EXPECT_NE(everything.find("pg_catalog.pg_extension"), std::string::npos) << "no pgaudit read in the log";
  EXPECT_NE(everything.find("pgposture.hba_rules()"), std::string::npos) << "no hba read in the log";
  EXPECT_NE(everything.find("flyway_schema_history"), std::string::npos) << "no history read in the log";
}

}  // namespace
}  // namespace pgposture::testing
