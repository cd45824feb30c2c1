// Proves the test harness itself: real clusters as configured, unhealthy
// hosts that behave as advertised, child processes under control.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include "tests/harness/blackhole.h"
#include "tests/harness/pg_cluster.h"
#include "tests/harness/process.h"

namespace pgposture::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kPsql[] = "/usr/lib/postgresql/15/bin/psql";

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

// Connects over TCP as a client would, never prompting for a password.
ProcessResult QueryOverTcp(const std::string& dsn, const std::string& sql, const std::string& password = "") {
  return RunProcess(
      {{kPsql, "-X", "-w", "-tA", "-d", dsn, "-c", sql}, {"PGPASSWORD=" + password, "PGCONNECT_TIMEOUT=5"}},
      30s);
}

// Connects a TCP socket to 127.0.0.1:port; returns the socket or -errno.
int ConnectLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    close(fd);
    return -error;
  }
  return fd;
}

TEST(PgClusterTest, PreloadsPgauditSoTheExtensionInstalls) {
  PgCluster cluster;
  EXPECT_EQ(cluster.PsqlValue("SHOW shared_preload_libraries"), "pgaudit");
  cluster.Psql("CREATE EXTENSION pgaudit");
  EXPECT_EQ(cluster.PsqlValue("SELECT extname FROM pg_extension WHERE extname = 'pgaudit'"), "pgaudit");
}

TEST(PgClusterTest, WithoutPgauditTheExtensionRefusesToInstall) {
  PgClusterOptions options;
  options.pgaudit = false;
  PgCluster cluster(options);
  EXPECT_EQ(cluster.PsqlValue("SHOW shared_preload_libraries"), "");
  EXPECT_THROW(cluster.Psql("CREATE EXTENSION pgaudit"), std::runtime_error);
}

TEST(PgClusterTest, ArchivingCopiesCompletedWalSegments) {
  PgClusterOptions options;
  options.archiving = true;
  PgCluster cluster(options);
  EXPECT_EQ(cluster.PsqlValue("SHOW archive_mode"), "on");
  cluster.Psql("CREATE TABLE filler AS SELECT generate_series(1, 10000) AS i");
  cluster.PsqlValue("SELECT pg_switch_wal()");
  EXPECT_TRUE(WaitUntil(
      [&] { return cluster.PsqlValue("SELECT archived_count FROM pg_stat_archiver") != "0"; }, 10s));
  const std::string segment = cluster.PsqlValue("SELECT last_archived_wal FROM pg_stat_archiver");
  EXPECT_TRUE(std::filesystem::exists(cluster.dir() + "/archive/" + segment)) << segment;
}

TEST(PgClusterTest, SuperuserNeedsNoPasswordOverTcpOtherRolesDo) {
  PgCluster cluster;
  cluster.Psql("CREATE ROLE alice LOGIN PASSWORD 'secret'");

  const ProcessResult superuser = QueryOverTcp(cluster.Dsn(), "SELECT current_user");
  EXPECT_EQ(superuser.exit_code, 0) << superuser.err;
  EXPECT_EQ(superuser.out, "postgres\n");

  const ProcessResult alice = QueryOverTcp(cluster.Dsn("postgres", "alice"), "SELECT current_user", "secret");
  EXPECT_EQ(alice.exit_code, 0) << alice.err;
  EXPECT_EQ(alice.out, "alice\n");

  const ProcessResult wrong = QueryOverTcp(cluster.Dsn("postgres", "alice"), "SELECT current_user", "wrong");
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.err.find("password authentication failed"), std::string::npos) << wrong.err;
}

TEST(PgClusterTest, CustomHbaReplacesTheDefault) {
  PgClusterOptions options;
  options.hba = "local all postgres trust\nhost all all 127.0.0.1/32 reject\n";
  PgCluster cluster(options);
  const ProcessResult result = QueryOverTcp(cluster.Dsn(), "SELECT 1");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("pg_hba.conf rejects connection"), std::string::npos) << result.err;
  EXPECT_EQ(cluster.PsqlValue("SELECT 1"), "1");  // the Unix socket still lets the harness in
}

TEST(PgClusterTest, ConfLinesOverrideTheDefaults) {
  PgClusterOptions options;
  options.conf_lines = {"max_connections = 20", "pgaudit.log = 'ddl'"};
  PgCluster cluster(options);
  EXPECT_EQ(cluster.PsqlValue("SHOW max_connections"), "20");
  EXPECT_EQ(cluster.PsqlValue("SHOW pgaudit.log"), "ddl");
}

TEST(PgClusterTest, FailedStartThrowsWithTheServerLog) {
  PgClusterOptions options;
  options.conf_lines = {"shared_buffers = 'plenty'"};
  try {
    PgCluster cluster(options);
    FAIL() << "started with an invalid shared_buffers";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("invalid value for parameter \"shared_buffers\""),
              std::string::npos)
        << error.what();
  }
}

TEST(PgClusterTest, StopStartAndRestartKeepPortAndData) {
  PgCluster cluster;
  const int port = cluster.port();
  cluster.Psql("CREATE TABLE kept (i int); INSERT INTO kept VALUES (42)");

  cluster.Stop();
  EXPECT_THROW(cluster.PsqlValue("SELECT 1"), std::runtime_error);
  cluster.Stop();  // stopping a stopped cluster is fine

  cluster.Start();
  EXPECT_EQ(cluster.port(), port);
  EXPECT_EQ(cluster.PsqlValue("SELECT i FROM kept"), "42");

  const std::string started = cluster.PsqlValue("SELECT pg_postmaster_start_time()");
  cluster.Restart();
  EXPECT_EQ(cluster.port(), port);
  EXPECT_NE(cluster.PsqlValue("SELECT pg_postmaster_start_time()"), started);
}

TEST(PgClusterTest, ClustersRunSideBySide) {
  PgClusterOptions without_pgaudit;
  without_pgaudit.pgaudit = false;
  PgCluster first;
  PgCluster second(without_pgaudit);
  EXPECT_NE(first.port(), second.port());
  EXPECT_NE(first.dir(), second.dir());
  EXPECT_EQ(first.PsqlValue("SHOW port"), std::to_string(first.port()));
  EXPECT_EQ(second.PsqlValue("SHOW port"), std::to_string(second.port()));
}

TEST(PgClusterTest, DestructionRemovesTheDirectory) {
  std::string dir;
  {
    PgCluster cluster;
    dir = cluster.dir();
    EXPECT_TRUE(std::filesystem::exists(dir + "/postgres.log"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(PgClusterTest, SslDirTurnsSslOn) {
  char ssl_dir[] = "/tmp/pgp-ssl-XXXXXX";
  ASSERT_NE(mkdtemp(ssl_dir), nullptr);
  const std::string dir = ssl_dir;
  const ProcessResult certificate = RunProcess(
      {{"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", dir + "/server.key", "-out", dir + "/server.crt"}},
      30s);
  ASSERT_EQ(certificate.exit_code, 0) << certificate.err;

  PgClusterOptions options;
  options.ssl_dir = dir;
  PgCluster cluster(options);
  std::filesystem::remove_all(dir);  // the cluster keeps its own copies
  EXPECT_EQ(cluster.PsqlValue("SHOW ssl"), "on");
  const ProcessResult result = QueryOverTcp(cluster.Dsn() + " sslmode=require",
                                            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "t\n");
}

TEST(BlackholeTest, AcceptsAndNeverAnswers) {
  Blackhole blackhole;
  const int fd = ConnectLoopback(blackhole.port());
  ASSERT_GE(fd, 0) << "connect: " << -fd;
  EXPECT_TRUE(WaitUntil([&] { return blackhole.accepted() == 1; }, 2s));
  const char startup[] = "hello?";
  EXPECT_EQ(write(fd, startup, sizeof startup), static_cast<ssize_t>(sizeof startup));
  pollfd readable = {fd, POLLIN, 0};
  EXPECT_EQ(poll(&readable, 1, 300), 0) << "the blackhole answered or hung up";
  close(fd);
}

TEST(BlackholeTest, NobodyListensOnTheFreePort) {
  EXPECT_EQ(ConnectLoopback(FreeLoopbackPortNobodyListensOn()), -ECONNREFUSED);
}

TEST(ProcessTest, CapturesOutputExitCodeAndEnvironment) {
  const ProcessResult result =
      RunProcess({{"sh", "-c", "echo \"$GREETING\"; echo oops >&2; exit 3"}, {"GREETING=hi"}}, 10s);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(result.out, "hi\n");
  EXPECT_EQ(result.err, "oops\n");
}

TEST(ProcessTest, StreamsInputAndOutputLargerThanAPipe) {
  const std::string input(1 << 20, 'x');
  const ProcessResult result = RunProcess({{"cat"}, {}, input}, 10s);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.size(), input.size());
  EXPECT_EQ(result.out, input);
}

TEST(ProcessTest, ChildIgnoringItsInputDoesNotBreakTheTest) {
  const ProcessResult result = RunProcess({{"true"}, {}, std::string(1 << 20, 'x')}, 10s);
  EXPECT_EQ(result.exit_code, 0);
}

TEST(ProcessTest, RunProcessThrowsOnTimeout) {
  EXPECT_THROW(RunProcess({{"sleep", "10"}}, 200ms), std::runtime_error);
}

TEST(ProcessTest, KillAndWaitInTheBackground) {
  Process process({{"sh", "-c", "echo ready; exec sleep 10"}});
  EXPECT_TRUE(WaitUntil([&] { return process.Stdout() == "ready\n"; }, 5s));
  EXPECT_FALSE(process.Wait(100ms));
  process.Kill(SIGTERM);
  const std::optional<ProcessResult> result = process.Wait(5s);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->exit_code, -1);
  EXPECT_EQ(result->signal, SIGTERM);
}

TEST(ProcessTest, UnknownProgramThrows) {
  EXPECT_THROW(Process({{"/nonexistent/program"}}), std::system_error);
}

}  // namespace
}  // namespace pgposture::testing
