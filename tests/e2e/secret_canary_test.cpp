// A password must never leave the password file: not in logs, metrics,
// gRPC answers, error messages or `pgposture check` output, failures
// included.
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "tests/e2e/pgposture_binary.h"
#include "tests/harness/blackhole.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kCanary = "canary-7d1f0c9e-2b4a";

TEST(SecretCanaryTest, PasswordAppearsNowhere) {
  PgCluster cluster;
  cluster.Psql(std::string("CREATE ROLE agent LOGIN PASSWORD '") + kCanary +
               "' IN ROLE pg_monitor, pg_read_all_settings");
  cluster.Psql("CREATE ROLE locked NOLOGIN PASSWORD 'x'");
  ASSERT_EQ(RunPgposture({"install", "--dsn", cluster.Dsn(), "--agent-role", "agent"}).exit_code, 0);
  Blackhole hung;
  const std::string password_file = WriteTempFile("canary.password", std::string(kCanary) + "\n");
  // Every target uses the canary: one healthy, and one per way to fail.
  std::string targets;
  const auto target = [&](const std::string& name, const std::string& dsn) {
    targets += "  - name: " + name + "\n    dsn: \"" + dsn + "\"\n    password_file: " + password_file + "\n";
  };
  target("healthy", cluster.Dsn("postgres", "agent"));
  target("wrong-user", cluster.Dsn("postgres", "nobody"));
  target("cannot-login", cluster.Dsn("postgres", "locked"));
  target("no-database", cluster.Dsn("missing", "agent"));
  target("down", "host=127.0.0.1 port=" + std::to_string(FreeLoopbackPortNobodyListensOn()) + " user=agent");
  target("hung", "host=127.0.0.1 port=" + std::to_string(hung.port()) + " user=agent");
  const std::string config =
      WriteTempFile("pgposture.yml",
                    "agent:\n  interval: 1s\n  timeout: 1s\n  log_level: debug\nlisten:\n  metrics: "
                    "\"127.0.0.1:0\"\n  grpc: \"127.0.0.1:0\"\ntargets:\n" +
                        targets);

  std::vector<std::string> outputs;
  for (const char* format : {"text", "json"}) {
    const ProcessResult check = RunPgposture({"check", "--config", config, "--format", format});
    EXPECT_EQ(check.exit_code, 2);
    outputs.push_back(check.out + check.err);
  }
  {
    Daemon daemon(config);
    ASSERT_TRUE(EventuallyEquals(daemon.metrics_url() + "/metrics",
                                 R"(pgposture_up{target="healthy",environment="local",database="postgres"})",
                                 1, 10s));
    std::this_thread::sleep_for(2500ms);  // a few cycles of every failure, at debug level
    outputs.push_back(HttpGet(daemon.metrics_url() + "/metrics"));
    outputs.push_back(HttpGet(daemon.metrics_url() + "/"));
    for (const std::vector<std::string>& query :
         std::vector<std::vector<std::string>>{{"targets"},
                                               {"posture", "healthy/postgres", "--format", "json"},
                                               {"posture", "wrong-user/postgres", "--format", "json"},
                                               {"findings", "--format", "json"},
                                               {"ddl", "--format", "json"}}) {
      std::vector<std::string> args{"query", "--address", daemon.grpc_address()};
      args.insert(args.end(), query.begin(), query.end());
      const ProcessResult answer = RunPgposture(args);
      outputs.push_back(answer.out + answer.err);
    }
    daemon.process().Kill(SIGTERM);
    const auto ended = daemon.process().Wait(5s);
    ASSERT_TRUE(ended);
    outputs.push_back(ended->out + ended->err);
    EXPECT_NE(ended->err.find("password authentication failed"), std::string::npos)
        << "the failures were logged: " << ended->err;
  }
  for (const std::string& output : outputs) {
    EXPECT_EQ(output.find(kCanary), std::string::npos) << output;
  }
}

}  // namespace
}  // namespace pgposture::testing
