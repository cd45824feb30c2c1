// `pgposture run` scraped over HTTP like Prometheus does: the exposition lints
// clean with promtool and carries the facts of real clusters.
#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "tests/e2e/pgposture_binary.h"
#include "tests/harness/blackhole.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kAgentPassword = "agent-pw-51c9";

// What a user gets from `promtool check metrics` for the exposition.
std::string PromtoolProblems(const std::string& exposition) {
  const ProcessResult lint =
      RunProcess(Command({"promtool", "check", "metrics"}, {}, exposition), seconds(30));
  if (lint.exit_code == 0 && lint.out.empty() && lint.err.empty()) return "";
  return "exit " + std::to_string(lint.exit_code) + ": " + lint.out + lint.err;
}

// The agent role, then `pgposture install` as the superuser: the agent itself
// connects with pg_monitor and the install's grants only.
void InstallAgent(const PgCluster& cluster) {
  cluster.Psql(std::string("CREATE ROLE pgposture LOGIN PASSWORD '") + kAgentPassword + "'");
  const ProcessResult install =
      RunPgposture({"install", "--dsn", cluster.Dsn(), "--agent-role", "pgposture"});
  ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
}

std::string TargetYaml(const std::string& name, const PgCluster& cluster, const std::string& environment,
                       const std::string& password_file) {
  return "  - name: " + name + "\n    dsn: \"" + cluster.Dsn("postgres", "pgposture") +
         "\"\n    password_file: " + password_file + "\n    environment: " + environment + "\n";
}

std::string Config(const std::string& targets) {
  return "agent:\n  interval: 1s\n  timeout: 1s\n"
         "listen:\n  metrics: \"127.0.0.1:0\"\n  grpc: \"127.0.0.1:0\"\n"
         "targets:\n" +
         targets;
}

TEST(MetricsTest, ScrapeLintsCleanAndShowsTheFactsOfTwoClusters) {
  PgClusterOptions with_pgaudit;
  with_pgaudit.conf_lines = {"pgaudit.log = 'ddl, role'"};
  PgCluster audited(with_pgaudit);
  audited.Psql("CREATE EXTENSION pgaudit");
  InstallAgent(audited);
  PgClusterOptions without_pgaudit;
  without_pgaudit.pgaudit = false;
  PgCluster plain(without_pgaudit);
  InstallAgent(plain);

  const std::string password = WriteTempFile("agent.password", kAgentPassword);
  std::string targets = TargetYaml("audited", audited, "prod", password) + "    labels: {project: shop}\n";
  targets += TargetYaml("plain", plain, "staging", password);
  Daemon daemon(WriteTempFile("pgposture.yml", Config(targets)));
  const std::string metrics = daemon.metrics_url() + "/metrics";

  const std::string audited_db =
      R"({target="audited",environment="prod",database="postgres",project="shop"})";
  const std::string plain_db = R"({target="plain",environment="staging",database="postgres"})";
  ASSERT_TRUE(EventuallyEquals(metrics, "pgposture_up" + audited_db, 1, seconds(15))) << HttpGet(metrics);
  ASSERT_TRUE(EventuallyEquals(metrics, "pgposture_up" + plain_db, 1, seconds(15))) << HttpGet(metrics);

  const std::string body = HttpGet(metrics);
  EXPECT_EQ(PromtoolProblems(body), "") << body;

  // pgaudit: preloaded in one cluster (once per target, no database label), not the other.
  EXPECT_EQ(
      SampleValue(body, R"(pgposture_pgaudit_loaded{target="audited",environment="prod",project="shop"} )"),
      1);
  EXPECT_EQ(SampleValue(body, R"(pgposture_pgaudit_loaded{target="plain",environment="staging"} )"), 0);
  EXPECT_EQ(SampleValue(body, "pgposture_pgaudit_extension_created" + audited_db), 1);
  EXPECT_EQ(SampleValue(body, "pgposture_pgaudit_extension_created" + plain_db), 0);
  EXPECT_EQ(SampleValue(body, R"(pgposture_pgaudit_log_class_enabled{target="audited",environment="prod",)"
                              R"(project="shop",class="ddl"} )"),
            1);
  const std::string loaded_check = R"(,check="pgaudit.loaded",severity="critical",level="production"} )";
  EXPECT_EQ(SampleValue(
                body, "pgposture_check_status" + audited_db.substr(0, audited_db.size() - 1) + loaded_check),
            1);
  EXPECT_EQ(
      SampleValue(body, "pgposture_check_status" + plain_db.substr(0, plain_db.size() - 1) + loaded_check),
      0);
  EXPECT_TRUE(SampleValue(body, "pgposture_build_info{"));
  EXPECT_GT(*SampleValue(body, "process_resident_memory_bytes "), 0);

  // A table created from psql is out-of-band DDL: counted within an interval.
  const std::string out_of_band = "pgposture_ddl_events_total" + audited_db.substr(0, audited_db.size() - 1) +
                                  R"(,classification="out_of_band"} )";
  const std::optional<double> before = SampleValue(body, out_of_band);
  ASSERT_TRUE(before) << body;
  audited.Psql("CREATE TABLE public.made_in_a_dashboard (id int)");
  EXPECT_TRUE(EventuallyEquals(metrics, out_of_band, *before + 1, seconds(5))) << HttpGet(metrics);

  EXPECT_EQ(HttpStatus(daemon.metrics_url() + "/readyz"), 200);
  EXPECT_EQ(HttpGet(daemon.metrics_url() + "/healthz"), "ok\n");
  const std::string page = HttpGet(daemon.metrics_url() + "/");
  EXPECT_NE(page.find("2 of 2 databases up"), std::string::npos) << page;
  EXPECT_NE(page.find("targets/plain/databases/postgres"), std::string::npos) << page;
}

TEST(MetricsTest, UpFollowsTheClusterDownAndBack) {
  PgCluster cluster;
  InstallAgent(cluster);
  const std::string password = WriteTempFile("agent.password", kAgentPassword);
  Daemon daemon(WriteTempFile("pgposture.yml", Config(TargetYaml("db", cluster, "prod", password))));
  const std::string metrics = daemon.metrics_url() + "/metrics";
  const std::string labels = R"({target="db",environment="prod",database="postgres"})";
  ASSERT_TRUE(EventuallyEquals(metrics, "pgposture_up" + labels, 1, seconds(15))) << HttpGet(metrics);

  cluster.Stop();
  ASSERT_TRUE(EventuallyEquals(metrics, "pgposture_up" + labels, 0, seconds(10))) << HttpGet(metrics);
  const std::string down = HttpGet(metrics);
  EXPECT_EQ(SampleValue(down, "pgposture_collection_error" + labels.substr(0, labels.size() - 1) +
                                  R"(,class="connect"} )"),
            1)
      << down;
  EXPECT_EQ(PromtoolProblems(down), "") << down;

  cluster.Start();
  EXPECT_TRUE(EventuallyEquals(metrics, "pgposture_up" + labels, 1, seconds(15))) << HttpGet(metrics);
  EXPECT_FALSE(SampleValue(HttpGet(metrics), "pgposture_collection_error{"));
}

TEST(MetricsTest, ReadyOnlyAfterTheFirstCycle) {
  // A host that never answers holds the first cycle for the whole timeout.
  Blackhole hung;
  Daemon daemon(WriteTempFile("pgposture.yml",
                              "agent:\n  interval: 5s\n  timeout: 3s\n"
                              "listen:\n  metrics: \"127.0.0.1:0\"\n  grpc: \"127.0.0.1:0\"\n"
                              "targets:\n  - name: hung\n    dsn: \"host=127.0.0.1 port=" +
                                  std::to_string(hung.port()) + " dbname=postgres user=pgposture\"\n"));
  EXPECT_EQ(HttpStatus(daemon.metrics_url() + "/readyz"), 503);
  EXPECT_EQ(HttpStatus(daemon.metrics_url() + "/healthz"), 200);
  const std::string metrics = daemon.metrics_url() + "/metrics";
  const std::string before = HttpGet(metrics);
  EXPECT_TRUE(SampleValue(before, "pgposture_build_info{")) << before;
  EXPECT_EQ(before.find("pgposture_up{"), std::string::npos) << "no cycle has finished\n" << before;

  const auto deadline = std::chrono::steady_clock::now() + seconds(10);
  while (HttpStatus(daemon.metrics_url() + "/readyz") != 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(HttpStatus(daemon.metrics_url() + "/readyz"), 200);
  // Ready means the first cycle's series are served: no scrape after
  // /readyz says 200 misses them.
  const std::string after = HttpGet(metrics);
  EXPECT_NE(after.find("pgposture_up{target=\"hung\""), std::string::npos) << after;
}

}  // namespace
}  // namespace pgposture::testing
