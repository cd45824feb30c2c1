// `pgposture check` against real clusters, with and without pgaudit.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>

#include "tests/e2e/pgposture_binary.h"
#include "tests/harness/blackhole.h"
#include "tests/harness/pg_cluster.h"
#include "tests/harness/process.h"

namespace pgposture::testing {
namespace {

constexpr const char* kAgentPassword = "agent-pw-7f3a";

// The agent logs in as a plain pg_monitor role, as it does in production.
void CreateAgentRole(const PgCluster& cluster) {
  cluster.Psql(std::string("CREATE ROLE pgposture LOGIN PASSWORD '") + kAgentPassword +
               "' IN ROLE pg_monitor, pg_read_all_settings");
}

std::string AgentDsn(const PgCluster& cluster, const std::string& dbname = "postgres") {
  return cluster.Dsn(dbname, "pgposture");
}

const std::vector<std::string> kAgentEnv{std::string("PGPASSWORD=") + kAgentPassword};

class CheckCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    PgClusterOptions with;
    with.conf_lines = {"pgaudit.log = 'ddl, role'"};
    audited_ = std::make_unique<PgCluster>(with);
    audited_->Psql("CREATE EXTENSION pgaudit");
    audited_->Psql("CREATE ROLE alice LOGIN PASSWORD 'alice-pw'");
    audited_->Psql("ALTER ROLE alice SET pgaudit.log = 'none'");
    audited_->Psql("CREATE DATABASE app");
    CreateAgentRole(*audited_);

    PgClusterOptions without;
    without.pgaudit = false;
    plain_ = std::make_unique<PgCluster>(without);
    CreateAgentRole(*plain_);
  }
  static void TearDownTestSuite() {
    audited_.reset();
    plain_.reset();
  }

  static std::unique_ptr<PgCluster> audited_;
  static std::unique_ptr<PgCluster> plain_;
};

std::unique_ptr<PgCluster> CheckCommandTest::audited_;
std::unique_ptr<PgCluster> CheckCommandTest::plain_;

const v1::PgauditRoleCoverage& CoverageOf(const v1::DatabasePosture& posture, const std::string& role) {
  for (const auto& entry : posture.pgaudit().coverage()) {
    if (entry.role() == role) return entry;
  }
  ADD_FAILURE() << "no coverage for " << role;
  throw std::runtime_error("no coverage for " + role);
}

TEST_F(CheckCommandTest, ReportsTruePgauditFactsWhenLoaded) {
  const ProcessResult run =
      RunPgposture({"check", "--dsn", AgentDsn(*audited_), "--format", "json"}, kAgentEnv);
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const v1::CheckReport report = ParseReport(run.out);
  ASSERT_EQ(report.databases_size(), 1);
  const v1::DatabasePosture& posture = PostureOf(report, "targets/cli/databases/postgres");
  EXPECT_FALSE(posture.collection().stale()) << posture.collection().error();
  EXPECT_EQ(posture.collection().server_version_num() / 10000, 15);

  const v1::PgauditFacts& pgaudit = posture.pgaudit();
  EXPECT_TRUE(pgaudit.loaded());
  EXPECT_TRUE(pgaudit.extension_created());
  EXPECT_FALSE(pgaudit.extension_version().empty());
  EXPECT_TRUE(pgaudit.event_triggers_enabled());
  EXPECT_FALSE(pgaudit.agent_role_has_overrides());
  EXPECT_EQ(pgaudit.settings().log().raw(), "ddl, role");
  EXPECT_EQ(
      std::set<int>(pgaudit.settings().log().classes().begin(), pgaudit.settings().log().classes().end()),
      (std::set<int>{v1::PGAUDIT_CLASS_DDL, v1::PGAUDIT_CLASS_ROLE}));
  EXPECT_EQ(pgaudit.settings().log_level(), "log");

  // alice's ALTER ROLE ... SET pgaudit.log = 'none' escapes the server setting.
  const auto& alice = CoverageOf(posture, "alice");
  EXPECT_EQ(alice.source(), v1::PGAUDIT_SOURCE_ROLE);
  EXPECT_FALSE(alice.ddl_audited());
  const auto& postgres = CoverageOf(posture, "postgres");
  EXPECT_TRUE(postgres.superuser());
  EXPECT_EQ(postgres.source(), v1::PGAUDIT_SOURCE_SERVER);
  EXPECT_TRUE(postgres.ddl_audited());
  EXPECT_TRUE(postgres.role_audited());
  EXPECT_FALSE(postgres.write_audited());

  EXPECT_EQ(FindingOf(posture, "pgaudit.loaded").status(), v1::CHECK_STATUS_PASS);
  EXPECT_EQ(FindingOf(posture, "pgaudit.extension_created").status(), v1::CHECK_STATUS_PASS);
  const v1::Finding& coverage = FindingOf(posture, "pgaudit.logs_ddl_and_role");
  EXPECT_EQ(coverage.status(), v1::CHECK_STATUS_FAIL);
  EXPECT_NE(coverage.detail().find("alice"), std::string::npos) << coverage.detail();
}

TEST_F(CheckCommandTest, ExtensionIsPerDatabase) {
  const ProcessResult run =
      RunPgposture({"check", "--dsn", AgentDsn(*audited_, "app"), "--format", "json"}, kAgentEnv);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const v1::CheckReport report = ParseReport(run.out);
  const v1::DatabasePosture& posture = PostureOf(report, "targets/cli/databases/app");
  EXPECT_TRUE(posture.pgaudit().loaded());
  EXPECT_FALSE(posture.pgaudit().extension_created());
  EXPECT_EQ(FindingOf(posture, "pgaudit.extension_created").status(), v1::CHECK_STATUS_FAIL);
}

TEST_F(CheckCommandTest, AllDatabasesDiscoversEveryConnectableOne) {
  const ProcessResult run =
      RunPgposture({"check", "--dsn", AgentDsn(*audited_), "--all-databases", "--format", "json"}, kAgentEnv);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::set<std::string> names;
  const v1::CheckReport report = ParseReport(run.out);
  for (const auto& posture : report.databases()) names.insert(posture.database());
  EXPECT_EQ(names, (std::set<std::string>{"app", "postgres"}));
}

TEST_F(CheckCommandTest, ReportsTruePgauditFactsWhenAbsent) {
  const ProcessResult run =
      RunPgposture({"check", "--dsn", AgentDsn(*plain_), "--format", "json"}, kAgentEnv);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const v1::CheckReport report = ParseReport(run.out);
  const v1::DatabasePosture& posture = PostureOf(report, "targets/cli/databases/postgres");
  const v1::PgauditFacts& pgaudit = posture.pgaudit();
  ASSERT_TRUE(pgaudit.has_loaded());
  EXPECT_FALSE(pgaudit.loaded());
  EXPECT_FALSE(pgaudit.extension_created());
  EXPECT_FALSE(pgaudit.has_settings());
  ASSERT_GT(pgaudit.coverage_size(), 0);
  for (const auto& role : pgaudit.coverage()) EXPECT_FALSE(role.ddl_audited()) << role.role();
  EXPECT_EQ(FindingOf(posture, "pgaudit.loaded").status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(posture.maturity_level(), v1::MATURITY_LEVEL_PROTOTYPING);
}

TEST_F(CheckCommandTest, RequireIsACiGate) {
  const ProcessResult run =
      RunPgposture({"check", "--dsn", AgentDsn(*plain_), "--require", "production"}, kAgentEnv);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("[FAIL] pgaudit.loaded"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("fix: add pgaudit to shared_preload_libraries"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("FAILED"), std::string::npos);
}

TEST_F(CheckCommandTest, WrongPasswordExitsTwoWithoutLeakingIt) {
  const std::string secret = "wrong-canary-91c2";
  const ProcessResult run = RunPgposture({"check", "--dsn", AgentDsn(*audited_) + " password=" + secret}, {});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.out.find("password authentication failed"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find(secret), std::string::npos);
  EXPECT_EQ(run.err.find(secret), std::string::npos);
}

TEST_F(CheckCommandTest, UnhealthyTargetsDoNotStallHealthyOnes) {
  Blackhole hung;
  const int down_port = FreeLoopbackPortNobodyListensOn();
  const std::string password_file = WriteTempFile("agent.password", std::string(kAgentPassword) + "\n");
  const std::string config = WriteTempFile("pgposture.yml", R"(agent:
  timeout: 2s
  concurrency: 3
targets:
  - name: hung
    dsn: "host=127.0.0.1 port=)" + std::to_string(hung.port()) + R"( dbname=postgres user=pgposture"
  - name: down
    dsn: "host=127.0.0.1 port=)" + std::to_string(down_port) + R"( dbname=postgres user=pgposture"
  - name: healthy
    dsn: ")" + AgentDsn(*audited_) + R"("
    password_file: )" + password_file + R"(
    databases: all
)");
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult run = RunPgposture({"check", "--config", config, "--format", "json"});
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(run.exit_code, 2) << run.err;
  // The whole check is bounded by one timeout (libpq's 2 s connect minimum),
  // not by the sum of the unhealthy targets' timeouts.
  EXPECT_LT(elapsed, std::chrono::milliseconds(4500));

  const v1::CheckReport report = ParseReport(run.out);
  for (const char* name : {"targets/healthy/databases/postgres", "targets/healthy/databases/app"}) {
    const v1::DatabasePosture& healthy = PostureOf(report, name);
    EXPECT_FALSE(healthy.collection().stale()) << name << ": " << healthy.collection().error();
    EXPECT_TRUE(healthy.pgaudit().loaded()) << name;
  }
  const v1::DatabasePosture& hung_posture = PostureOf(report, "targets/hung/databases/postgres");
  EXPECT_TRUE(hung_posture.collection().stale());
  EXPECT_EQ(hung_posture.collection().error_class(), v1::ERROR_CLASS_TIMEOUT)
      << hung_posture.collection().error();
  const v1::DatabasePosture& down_posture = PostureOf(report, "targets/down/databases/postgres");
  EXPECT_EQ(down_posture.collection().error_class(), v1::ERROR_CLASS_CONNECT)
      << down_posture.collection().error();
  EXPECT_NE(down_posture.collection().error().find("refused"), std::string::npos);
}

TEST_F(CheckCommandTest, AgentsOnShardsCoverEveryTargetExactlyOnce) {
  const std::string password_file = WriteTempFile("agent.password", std::string(kAgentPassword) + "\n");
  std::string yaml = "targets:\n";
  std::set<std::string> all;
  for (int i = 0; i < 8; ++i) {
    const std::string name = "db-" + std::to_string(i);
    all.insert(name);
    yaml += "  - name: " + name + "\n    dsn: \"" + AgentDsn(*audited_) +
            "\"\n    password_file: " + password_file + "\n";
  }
  const std::string config = WriteTempFile("fleet.yml", yaml);
  std::map<std::string, int> audited_by;
  for (int shard = 0; shard < 3; ++shard) {
    const ProcessResult run = RunPgposture(
        {"check", "--config", config, "--shard", std::to_string(shard) + "/3", "--format", "json"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const v1::CheckReport report = ParseReport(run.out);
    EXPECT_LT(report.databases_size(), 8) << "shard " << shard << " audits everything";
    for (const auto& posture : report.databases()) ++audited_by[posture.target()];
  }
  EXPECT_EQ(audited_by.size(), all.size());
  for (const auto& [target, agents] : audited_by) EXPECT_EQ(agents, 1) << target;
  EXPECT_EQ(RunPgposture({"check", "--config", config, "--shard", "3/3"}).exit_code, 64);
}

TEST_F(CheckCommandTest, BadConfigExitsSeventyEightNamingThePlace) {
  const std::string config = WriteTempFile("bad.yml", "agent:\n  interval: soon\ntargets: []\n");
  const ProcessResult run = RunPgposture({"check", "--config", config});
  EXPECT_EQ(run.exit_code, 78);
  EXPECT_NE(run.err.find(config + ":2:"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("agent.interval"), std::string::npos) << run.err;
}

TEST(CliTest, VersionAndHelp) {
  const ProcessResult version = RunPgposture({"version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("pgposture ", 0), 0u) << version.out;
  EXPECT_EQ(RunPgposture({"--version"}).out, version.out);
  // The revision is read at build time: a commit since the last configure
  // shows too. Outside a git tree it is "unknown".
  const ProcessResult head = RunProcess(
      {{"git", "-C", PGPOSTURE_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"}}, std::chrono::seconds(10));
  const std::string revision = head.exit_code == 0 ? head.out.substr(0, head.out.find('\n')) : "unknown";
  EXPECT_NE(version.out.find("(" + revision + ")"), std::string::npos)
      << version.out << "the tree is at " << revision << ": was it committed to after the last build?";
  for (const char* command : {"run", "check", "version"}) {
    const ProcessResult help = RunPgposture({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.out.find("--help"), std::string::npos) << command;
  }
  EXPECT_EQ(RunPgposture({"check"}).exit_code, 64);
  EXPECT_EQ(RunPgposture({"frobnicate"}).exit_code, 64);
}

}  // namespace
}  // namespace pgposture::testing
