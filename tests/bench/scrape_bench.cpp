// Scrape latency and payload size of /metrics with 1, 10 and 100 audited
// databases. The snapshots are hand-built (every fact area filled, one
// target whose databases share a cluster part) and served by the real
// MetricsServer over TCP on 127.0.0.1; each scrape is a fresh HTTP/1.0
// connection, as a Prometheus scrape without keep-alive is. No database is
// involved: a scrape never touches one, so this is what a scrape costs.
// Latency on a busy machine is mostly waiting for a core, so the CPU time of
// rendering alone (families and text, this thread's clock) is printed too.
#include <prometheus/text_serializer.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "exporters/prometheus/http_server.h"
#include "tests/harness/http_client.h"
#include "tests/unit/exporters/prometheus/posture_fixtures.h"

namespace pgposture::testing {
namespace {

constexpr int kWarmup = 20;
constexpr int kScrapes = 500;
constexpr double kGoalP99Ms = 5;

struct Result {
  double median_ms;
  double p99_ms;
  size_t payload_bytes;
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

// What a scrape renders, without HTTP, in CPU time.
void MeasureRender(const FakeSnapshotSource& source, Result& result) {
  const PostureMetrics metrics(source, BuildInfo{"bench", "bench"});
  std::vector<double> cpu;
  for (int i = 0; i < kWarmup + kScrapes; ++i) {
    const double started = ThreadCpuMs();
    const std::string text = prometheus::TextSerializer().Serialize(metrics.Collect());
    if (i >= kWarmup) cpu.push_back(ThreadCpuMs() - started);
  }
  result.render_cpu_median_ms = Percentile(cpu, 0.5);
  result.render_cpu_p99_ms = Percentile(cpu, 0.99);
}

// False when a scrape is not a 200.
bool Measure(int databases, Result& result) {
  FakeSnapshotSource source;
  source.snapshots = FullSnapshots(databases);
  source.is_ready = true;
  MetricsServer server("127.0.0.1:0", source, BuildInfo{"bench", "bench"});
  const int port = server.ListeningPorts().at(0);
  std::vector<double> latencies;
  for (int i = 0; i < kWarmup + kScrapes; ++i) {
    const auto started = std::chrono::steady_clock::now();
    const HttpResponse response = HttpFetch("127.0.0.1", port, "/metrics");
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
    if (response.status != 200) {
      std::fprintf(stderr, "scrape failed with status %d\n", response.status);
      return false;
    }
    result.payload_bytes = response.body.size();
    if (i >= kWarmup) latencies.push_back(took.count());
  }
  result.median_ms = Percentile(latencies, 0.5);
  result.p99_ms = Percentile(latencies, 0.99);
  MeasureRender(source, result);
  return true;
}

}  // namespace
}  // namespace pgposture::testing

int main() {
  using pgposture::testing::Result;
  std::printf("scrape of /metrics over HTTP on 127.0.0.1, %d scrapes each (hand-built snapshots)\n",
              pgposture::testing::kScrapes);
  std::printf("%10s %12s %12s %14s %18s %15s\n", "databases", "median_ms", "p99_ms", "payload_bytes",
              "render_cpu_median", "render_cpu_p99");
  bool goal_met = true;
  for (int databases : {1, 10, 100}) {
    Result result{};
    if (!pgposture::testing::Measure(databases, result)) return 1;
    std::printf("%10d %12.3f %12.3f %14zu %18.3f %15.3f\n", databases, result.median_ms, result.p99_ms,
                result.payload_bytes, result.render_cpu_median_ms, result.render_cpu_p99_ms);
    if (databases == 100) goal_met = result.p99_ms < pgposture::testing::kGoalP99Ms;
  }
  std::printf("goal p99 < %.0f ms at 100 databases: %s\n", pgposture::testing::kGoalP99Ms,
              goal_met ? "met" : "NOT met");
  return 0;
}
