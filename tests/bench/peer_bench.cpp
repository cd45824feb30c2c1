// pgposture side by side with the peer, Debian's prometheus-postgres-exporter,
// on the same cluster at 1, 10, 100 and 1,000 databases, one after the other
// so that neither measures the other's load. Each audits every database:
// pgposture with one target and `databases: all`, the peer with
// --auto-discover-databases. Prints scrape latency (median, p99) over HTTP,
// payload size, RSS and the sessions each holds, and pgposture/peer ratios.
// The peer queries the databases during the scrape; pgposture serves its
// latest snapshot, so its scrapes run while it collects on its own schedule.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/bench/bench_support.h"
#include "tests/harness/blackhole.h"
#include "tests/harness/process.h"

namespace pgposture::bench {
namespace {

using namespace std::chrono_literals;

constexpr char kPeerBinary[] = "/usr/bin/prometheus-postgres-exporter";
constexpr char kTarget[] = "fleet";

struct Figures {
  int scrapes = 0;
  double median_ms = 0;
  double p99_ms = 0;
  size_t payload_bytes = 0;
  double rss_mb = 0;
  int sessions = 0;
};

Figures Scraped(int port, int scrapes, std::chrono::seconds budget, pid_t pid, const FleetCluster& fleet,
                const std::string& role) {
  Figures figures;
  const std::vector<double> latencies = TimedScrapes(port, scrapes, budget, figures.payload_bytes);
  figures.scrapes = static_cast<int>(latencies.size());
  figures.median_ms = Percentile(latencies, 0.5);
  figures.p99_ms = Percentile(latencies, 0.99);
  figures.rss_mb = ReadProcessUsage(pid).rss_mb;
  figures.sessions = fleet.SessionsOf(role);
  return figures;
}

Figures MeasurePgposture(FleetCluster& fleet, int scrapes, std::chrono::seconds budget) {
  const std::set<std::string> names = fleet.ResourceNames(kTarget);
  AgentDaemon agent(fleet.AllDatabasesTarget(kTarget), 30s, 10s);
  agent.WaitForSweep(names, 0, 600s);
  const Figures figures = Scraped(agent.metrics_port(), scrapes, budget, agent.pid(), fleet, kAgentRole);
  agent.Stop();
  return figures;
}

Figures MeasurePeer(FleetCluster& fleet, int scrapes, std::chrono::seconds budget) {
  const int port = testing::FreeLoopbackPortNobodyListensOn();
  const std::string dsn = "postgresql://" + std::string(kPeerRole) + ":" + kPassword +
                          "@127.0.0.1:" + std::to_string(fleet.cluster().port()) +
                          "/postgres?sslmode=disable";
  testing::Process peer(
      testing::Command({kPeerBinary, "--auto-discover-databases",
                        "--web.listen-address=127.0.0.1:" + std::to_string(port), "--log.level=warn"},
                       {"DATA_SOURCE_NAME=" + dsn}));
  const StopCleanup stop_peer_on_stop([&peer] { peer.Kill(SIGTERM); });
  // Its first scrape discovers the databases and connects to each, as the
  // first Prometheus scrape would; it is not counted.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    try {
      if (testing::HttpFetch("127.0.0.1", port, "/metrics").status == 200) break;
    } catch (const std::runtime_error&) {
      // Not listening yet.
    }
    if (std::chrono::steady_clock::now() > deadline || peer.Wait(100ms)) {
      throw std::runtime_error("prometheus-postgres-exporter did not serve /metrics: " + peer.Stderr());
    }
  }
  return Scraped(port, scrapes, budget, peer.pid(), fleet, kPeerRole);
}

double Ratio(double ours, double theirs) { return theirs == 0 ? 0 : ours / theirs; }

void Print(int databases, const Figures& ours, const Figures& peer) {
  const auto row = [databases](const char* who, const Figures& f) {
    std::printf("%9d %-12s %8d %10.2f %10.2f %12zu %9.1f %9d\n", databases, who, f.scrapes, f.median_ms,
                f.p99_ms, f.payload_bytes, f.rss_mb, f.sessions);
  };
  row("pgposture", ours);
  row("peer", peer);
  std::printf("%9d %-12s %8s %10.3f %10.3f %12.3f %9.3f %9.3f\n", databases, "ratio", "",
              Ratio(ours.median_ms, peer.median_ms), Ratio(ours.p99_ms, peer.p99_ms),
              Ratio(static_cast<double>(ours.payload_bytes), static_cast<double>(peer.payload_bytes)),
              Ratio(ours.rss_mb, peer.rss_mb), Ratio(ours.sessions, peer.sessions));
}

}  // namespace
}  // namespace pgposture::bench

int main(int argc, char** argv) {
  CLI::App app("pgposture side by side with prometheus-postgres-exporter on 1 to 1,000 databases");
  int max_databases = 1000;
  int scrapes = 50;
  int budget_seconds = 120;
  app.add_option("--max-databases", max_databases, "Stop after this many databases (1, 10, 100 or 1000)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--scrapes", scrapes, "Scrapes timed per exporter and size")->check(CLI::Range(3, 1000));
  app.add_option("--budget", budget_seconds, "Seconds of scraping per exporter and size, at least 3 scrapes")
      ->check(CLI::Range(1, 3600));
  CLI11_PARSE(app, argc, argv);
  pgposture::bench::EndOnStopSignal();
  if (access(pgposture::bench::kPeerBinary, X_OK) != 0) {
    std::fprintf(stderr, "peer_bench: %s not found; install it with scripts/install-deps.sh --bench\n",
                 pgposture::bench::kPeerBinary);
    return 1;
  }
  try {
    pgposture::bench::FleetCluster fleet(max_databases);
    const std::chrono::seconds budget(budget_seconds);
    std::printf(
        "scrapes of /metrics over HTTP (fresh connection each), up to %d or %d s per exporter and size\n",
        scrapes, budget_seconds);
    std::printf("%9s %-12s %8s %10s %10s %12s %9s %9s\n", "databases", "exporter", "scrapes", "median_ms",
                "p99_ms", "payload_b", "rss_mb", "sessions");
    for (int databases : {1, 10, 100, 1000}) {
      if (databases > max_databases) break;
      fleet.GrowTo(databases);
      const auto ours = pgposture::bench::MeasurePgposture(fleet, scrapes, budget);
      const auto peer = pgposture::bench::MeasurePeer(fleet, scrapes, budget);
      pgposture::bench::Print(databases, ours, peer);
      std::fflush(stdout);
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "peer_bench: %s\n", error.what());
    return 1;
  }
  return 0;
}
