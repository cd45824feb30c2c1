// pgposture run as a service: reload on SIGHUP, systemd's notify protocol.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/e2e/pgposture_binary.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture::testing {
namespace {

using namespace std::chrono_literals;

std::string ConfigWithTargets(const PgCluster& cluster, const std::vector<std::string>& names) {
  std::string yaml =
      "agent:\n  interval: 1s\n  timeout: 1s\nlisten:\n  metrics: \"127.0.0.1:0\"\n  grpc: \"127.0.0.1:0\"\n"
      "targets:\n";
  for (const std::string& name : names)
    yaml += "  - name: " + name + "\n    dsn: \"" + cluster.Dsn() + "\"\n";
  return yaml;
}

std::string UpSeries(const std::string& target) {
  return "pgposture_up{target=\"" + target + "\",environment=\"local\",database=\"postgres\"}";
}

bool EventuallyGone(const std::string& url, const std::string& series, std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!SampleValue(HttpGet(url), series)) return true;
    std::this_thread::sleep_for(200ms);
  }
  return false;
}

TEST(ServiceTest, SighupAppliesAddedAndRemovedTargetsWithoutRestart) {
  PgCluster cluster;
  const std::string config = WriteTempFile("pgposture.yml", ConfigWithTargets(cluster, {"a", "b"}));
  Daemon daemon(config);
  const std::string metrics = daemon.metrics_url() + "/metrics";
  ASSERT_TRUE(EventuallyEquals(metrics, UpSeries("a"), 1, 10s));
  ASSERT_TRUE(EventuallyEquals(metrics, UpSeries("b"), 1, 10s));

  std::ofstream(config) << ConfigWithTargets(cluster, {"b", "c"});
  daemon.process().Kill(SIGHUP);
  EXPECT_TRUE(EventuallyEquals(metrics, UpSeries("c"), 1, 10s)) << HttpGet(metrics);
  EXPECT_TRUE(EventuallyGone(metrics, UpSeries("a"), 10s)) << HttpGet(metrics);
  EXPECT_EQ(SampleValue(HttpGet(metrics), UpSeries("b")), 1);
  EXPECT_EQ(HttpStatus(daemon.metrics_url() + "/readyz"), 200);
  EXPECT_FALSE(daemon.process().Wait(0ms)) << "the daemon restarted or died";
  EXPECT_NE(daemon.process().Stderr().find("configuration reloaded"), std::string::npos);
}

TEST(ServiceTest, SighupWithABrokenConfigKeepsServingTheRunningOne) {
  PgCluster cluster;
  const std::string config = WriteTempFile("pgposture.yml", ConfigWithTargets(cluster, {"a"}));
  Daemon daemon(config);
  const std::string metrics = daemon.metrics_url() + "/metrics";
  ASSERT_TRUE(EventuallyEquals(metrics, UpSeries("a"), 1, 10s));

  std::ofstream(config) << "agent:\n  interval: never\ntargets: []\n";
  daemon.process().Kill(SIGHUP);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (daemon.process().Stderr().find("reload rejected") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(daemon.process().Stderr().find("pgposture.yml:2:"), std::string::npos)
      << daemon.process().Stderr();
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(SampleValue(HttpGet(metrics), UpSeries("a")), 1);
  EXPECT_EQ(HttpStatus(daemon.metrics_url() + "/readyz"), 200);
  EXPECT_FALSE(daemon.process().Wait(0ms));
}

TEST(ServiceTest, RewrittenTargetsFileIsAppliedWithoutASignal) {
  PgCluster cluster;
  const std::string fleet =
      WriteTempFile("fleet.yml", "targets:\n  - name: a\n    dsn: \"" + cluster.Dsn() + "\"\n");
  const std::string config =
      WriteTempFile("pgposture.yml",
                    "agent:\n  interval: 1s\n  timeout: 1s\nlisten:\n  metrics: \"127.0.0.1:0\"\n"
                    "  grpc: \"127.0.0.1:0\"\ntargets_file: " +
                        fleet + "\n");
  Daemon daemon(config);
  const std::string metrics = daemon.metrics_url() + "/metrics";
  ASSERT_TRUE(EventuallyEquals(metrics, UpSeries("a"), 1, 10s));

  // As a fleet tool does it: write elsewhere, then rename over the file.
  const std::string next = fleet + ".next";
  std::ofstream(next) << "targets:\n  - name: b\n    dsn: \"" + cluster.Dsn() + "\"\n";
  std::filesystem::rename(next, fleet);
  EXPECT_TRUE(EventuallyEquals(metrics, UpSeries("b"), 1, 10s)) << HttpGet(metrics);
  EXPECT_TRUE(EventuallyGone(metrics, UpSeries("a"), 10s)) << HttpGet(metrics);
  EXPECT_NE(daemon.process().Stderr().find("targets file"), std::string::npos);

  // A broken rewrite is rejected; the running targets stay.
  std::ofstream(fleet) << "targets:\n  - name: b\n";
  std::this_thread::sleep_for(2500ms);
  EXPECT_NE(daemon.process().Stderr().find("reload rejected"), std::string::npos)
      << daemon.process().Stderr();
  EXPECT_EQ(SampleValue(HttpGet(metrics), UpSeries("b")), 1);
}

// A stand-in for systemd's notify socket: a datagram socket the daemon
// writes READY=1, WATCHDOG=1 and STOPPING=1 to.
class FakeNotifySocket {
 public:
  FakeNotifySocket() : path_(WriteTempFile("notify.sock", "")) {
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      throw std::runtime_error("cannot bind " + path_);
    }
    timeval timeout{0, 200000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~FakeNotifySocket() { ::close(fd_); }
  const std::string& path() const { return path_; }

  /// Every message received within `within`, concatenated.
  std::string Receive(std::chrono::milliseconds within) {
    std::string messages;
    const auto deadline = std::chrono::steady_clock::now() + within;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      const ssize_t size = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (size > 0) messages.append(buffer, static_cast<size_t>(size)).append("\n");
    }
    return messages;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

size_t Occurrences(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

TEST(ServiceTest, TellsSystemdItIsReadyAliveAndStopping) {
  PgCluster cluster;
  FakeNotifySocket notify;
  const std::string config = WriteTempFile("pgposture.yml", ConfigWithTargets(cluster, {"a"}));
  // WatchdogSec=1s: the daemon must say WATCHDOG=1 every half second.
  Daemon daemon(config, {"NOTIFY_SOCKET=" + notify.path(), "WATCHDOG_USEC=1000000"});
  const std::string running = notify.Receive(3s);
  EXPECT_EQ(Occurrences(running, "READY=1"), 1u) << running;
  EXPECT_GE(Occurrences(running, "WATCHDOG=1"), 3u) << running;

  daemon.process().Kill(SIGHUP);
  const std::string reloading = notify.Receive(1s);
  EXPECT_NE(reloading.find("RELOADING=1"), std::string::npos) << reloading;
  EXPECT_NE(reloading.find("READY=1"), std::string::npos) << reloading;

  daemon.process().Kill(SIGTERM);
  const std::string stopping = notify.Receive(1s);
  EXPECT_NE(stopping.find("STOPPING=1"), std::string::npos) << stopping;
  const auto result = daemon.process().Wait(5s);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->exit_code, 0);
}

}  // namespace
}  // namespace pgposture::testing
