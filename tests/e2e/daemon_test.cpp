// `pgposture run`: collects on schedule, serves snapshots, shuts down cleanly.
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "tests/e2e/pgposture_binary.h"
#include "tests/harness/blackhole.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture::testing {
namespace {

TEST(DaemonTest, ServesFreshFactsWhileATargetHangsAndStopsOnSigterm) {
  PgCluster cluster;
  Blackhole hung;
  const std::string config = WriteTempFile("pgposture.yml", R"(agent:
  interval: 1s
  timeout: 1s
listen:
  metrics: "127.0.0.1:0"
  grpc: "127.0.0.1:0"
targets:
  - name: hung
    dsn: "host=127.0.0.1 port=)" + std::to_string(hung.port()) + R"( dbname=postgres user=postgres"
  - name: healthy
    dsn: ")" + cluster.Dsn() + R"("
    environment: prod
)");
  Daemon daemon(config);
  const std::string metrics = daemon.metrics_url() + "/metrics";

  const std::string healthy_up = R"(pgposture_up{target="healthy",environment="prod",database="postgres"})";
  const std::string hung_up = R"(pgposture_up{target="hung",environment="local",database="postgres"})";
  ASSERT_TRUE(EventuallyEquals(metrics, healthy_up, 1, std::chrono::seconds(10))) << HttpGet(metrics);
  ASSERT_TRUE(EventuallyEquals(metrics, hung_up, 0, std::chrono::seconds(10))) << HttpGet(metrics);

  // Scrapes read snapshots only: they stay fast while the hung target is
  // being collected, cycle after cycle.
  for (int i = 0; i < 10; ++i) {
    const auto started = std::chrono::steady_clock::now();
    const std::string body = HttpGet(metrics);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500));
    EXPECT_EQ(SampleValue(body, healthy_up), 1);
    EXPECT_EQ(SampleValue(body, R"(pgposture_pgaudit_loaded{target="healthy",environment="prod"})"), 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  EXPECT_TRUE(EventuallyEquals(metrics, healthy_up, 1, std::chrono::seconds(5)));

  // The healthy database was collected again and again, not once.
  const double first =
      *SampleValue(HttpGet(metrics), R"(pgposture_last_success_timestamp_seconds{target="healthy")");
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  const double later =
      *SampleValue(HttpGet(metrics), R"(pgposture_last_success_timestamp_seconds{target="healthy")");
  EXPECT_GT(later, first);

  daemon.process().Kill(SIGTERM);
  const auto result = daemon.process().Wait(std::chrono::seconds(5));
  ASSERT_TRUE(result) << "still running 5 s after SIGTERM";
  EXPECT_EQ(result->exit_code, 0) << result->err;
}

TEST(DaemonTest, DatabaseDownThenBack) {
  PgCluster cluster;
  const std::string config = WriteTempFile("pgposture.yml", R"(agent:
  interval: 1s
  timeout: 1s
listen:
  metrics: "127.0.0.1:0"
  grpc: "127.0.0.1:0"
targets:
  - name: db
    dsn: ")" + cluster.Dsn() + R"("
)");
  Daemon daemon(config);
  const std::string metrics = daemon.metrics_url() + "/metrics";
  const std::string up = R"(pgposture_up{target="db",environment="local",database="postgres"})";
  ASSERT_TRUE(EventuallyEquals(metrics, up, 1, std::chrono::seconds(10)));

  cluster.Stop();
  ASSERT_TRUE(EventuallyEquals(metrics, up, 0, std::chrono::seconds(10))) << HttpGet(metrics);
  // Stale facts are kept and flagged, not dropped.
  EXPECT_EQ(SampleValue(HttpGet(metrics), R"(pgposture_snapshot_stale{target="db")"), 1);
  EXPECT_EQ(SampleValue(HttpGet(metrics), R"(pgposture_pgaudit_loaded{target="db")"), 1);

  cluster.Start();
  // Reconnect backoff starts at 1 s and doubles: back within a few intervals.
  EXPECT_TRUE(EventuallyEquals(metrics, up, 1, std::chrono::seconds(15))) << HttpGet(metrics);
  daemon.process().Kill(SIGTERM);
  ASSERT_TRUE(daemon.process().Wait(std::chrono::seconds(5)));
}

}  // namespace
}  // namespace pgposture::testing
