// Scrape latency and payload size of /metrics with 1, 10 and 100 audited
// databases. The snapshots are hand-built (every fact area filled, one
// target whose databases share a cluster part) and served by the real
// MetricsServer over TCP on 127.0.0.1; each scrape is a fresh HTTP/1.0
// connection, as a Prometheus scrape without keep-alive is. No database is
// involved: a scrape never touches one, so this is what a scrape costs.
// Two cases: "steady", the snapshots unchanged since the daemon prepared
// the scrape at the end of a cycle (nearly every scrape), and "after
// publish", every snapshot replaced just before each scrape (a scrape
// landing in the middle of a cycle, which serializes the snapshot families
// itself). Latency on a busy machine is mostly waiting for a core, so the
// CPU time of rendering the body alone (this thread's clock) is printed too.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

#include "exporters/prometheus/http_server.h"
#include "exporters/prometheus/scrape_body.h"
#include "tests/harness/http_client.h"
#include "tests/unit/exporters/prometheus/posture_fixtures.h"

namespace pgposture::testing {
namespace {

constexpr int kWarmup = 20;
constexpr int kScrapes = 500;
constexpr double kGoalP99Ms = 5;

struct Figures {
  double median_ms;
  double p99_ms;
  double render_cpu_median_ms;
  double render_cpu_p99_ms;
};

double ThreadCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

double Percentile(std::vector<double> sorted, double fraction) {
  std::sort(sorted.begin(), sorted.end());
  return sorted[static_cast<size_t>(fraction * static_cast<double>(sorted.size() - 1))];
}

// A collection cycle's worth of publishes: every snapshot replaced by an
// equal one, which the scrape cannot tell from a changed one.
void PublishAll(FakeSnapshotSource& source) {
  for (DatabaseSnapshot& snapshot : source.snapshots) {
    snapshot.database = std::make_shared<const v1::DatabasePosture>(*snapshot.database);
  }
}

// The body's render, without HTTP, in CPU time; `before` runs untimed first.
void MeasureRender(FakeSnapshotSource& source, const std::function<void()>& before, Figures& figures) {
  const PostureMetrics metrics(source, BuildInfo{"bench", "bench"});
  const ScrapeBody body(source, metrics);
  std::vector<double> cpu;
  for (int i = 0; i < kWarmup + kScrapes; ++i) {
    before();
    const double started = ThreadCpuMs();
    const ScrapeText text = body.Render();
    if (i >= kWarmup) cpu.push_back(ThreadCpuMs() - started);
  }
  figures.render_cpu_median_ms = Percentile(cpu, 0.5);
  figures.render_cpu_p99_ms = Percentile(cpu, 0.99);
}

// False when a scrape is not a 200; `before` runs untimed before each scrape.
bool Measure(FakeSnapshotSource& source, const std::function<void()>& before, Figures& figures,
             size_t& payload_bytes) {
  MetricsServer server("127.0.0.1:0", source, BuildInfo{"bench", "bench"});
  const int port = server.ListeningPorts().at(0);
  std::vector<double> latencies;
  for (int i = 0; i < kWarmup + kScrapes; ++i) {
    before();
    const auto started = std::chrono::steady_clock::now();
    const HttpResponse response = HttpFetch("127.0.0.1", port, "/metrics");
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
    if (response.status != 200) {
      std::fprintf(stderr, "scrape failed with status %d\n", response.status);
      return false;
    }
    payload_bytes = response.body.size();
    if (i >= kWarmup) latencies.push_back(took.count());
  }
  figures.median_ms = Percentile(latencies, 0.5);
  figures.p99_ms = Percentile(latencies, 0.99);
  MeasureRender(source, before, figures);
  return true;
}

void Print(int databases, const char* when, const Figures& figures, size_t payload_bytes) {
  std::printf("%10d %14s %10.3f %10.3f %14zu %18.3f %15.3f\n", databases, when, figures.median_ms,
              figures.p99_ms, payload_bytes, figures.render_cpu_median_ms, figures.render_cpu_p99_ms);
}

}  // namespace
}  // namespace pgposture::testing

int main() {
  using namespace pgposture::testing;
  std::printf("scrape of /metrics over HTTP on 127.0.0.1, %d scrapes each (hand-built snapshots)\n",
              kScrapes);
  std::printf("%10s %14s %10s %10s %14s %18s %15s\n", "databases", "snapshots", "median_ms", "p99_ms",
              "payload_bytes", "render_cpu_median", "render_cpu_p99");
  bool goal_met = true;
  for (int databases : {1, 10, 100}) {
    FakeSnapshotSource source;
    source.snapshots = FullSnapshots(databases);
    source.is_ready = true;
    size_t payload_bytes = 0;
    Figures steady{};
    if (!Measure(
            source, [] {}, steady, payload_bytes))
      return 1;
    Print(databases, "steady", steady, payload_bytes);
    Figures after_publish{};
    if (!Measure(
            source, [&source] { PublishAll(source); }, after_publish, payload_bytes))
      return 1;
    Print(databases, "after publish", after_publish, payload_bytes);
    if (databases == 100) goal_met = steady.p99_ms < kGoalP99Ms;
  }
  std::printf("goal p99 < %.0f ms at 100 databases (steady): %s\n", kGoalP99Ms, goal_met ? "met" : "NOT met");
  return 0;
}
