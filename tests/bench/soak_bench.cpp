// Soak: the daemon audits 10 databases every 2 s for a bounded time while
// DDL runs (CREATE and DROP TABLE, captured by the event triggers), the
// cluster is restarted every minute and /metrics and gRPC are read every
// second. RSS is sampled every 5 s; prints RSS at start and end and its
// least-squares slope, over the whole run and after a warm-up (the first
// fifth), where the goal is flat; and the slope of anonymous RSS, which
// leaves out the pages of mapped code and libraries. The daemon remembers out-of-band DDL for
// policy.ddl.window (7 days by default), which grows with the DDL run here
// by design, so the soak uses a 1-minute window by default: with --duration
// above a minute, what it remembers stops growing, and what still grows
// is a leak. SIGINT or SIGTERM ends the run early: the figures so far are
// printed and the daemon and the cluster stopped, as at the end of a run.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <exception>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/bench_support.h"

namespace pgposture::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr char kTarget[] = "soak";
constexpr int kDatabases = 10;
constexpr auto kSampleEvery = 5s;
constexpr double kGoalSlopeKbPerMin = 10;  // about 14 MB a day

struct Counts {
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
};

// CREATE and DROP TABLE in a loop, reconnecting after a restart.
void RunDdl(const std::string& dsn, const std::atomic<bool>& stop, Counts& counts) {
  for (int i = 0; !stop; ++i) {
    try {
      pqxx::connection connection(dsn);
      while (!stop) {
        pqxx::nontransaction ddl(connection);
        const std::string table = "soak_" + std::to_string(i++);
        ddl.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, note text)");
        ddl.exec("DROP TABLE " + table);
        counts.ok += 2;
        std::this_thread::sleep_for(100ms);
      }
    } catch (const std::exception&) {
      ++counts.failed;  // the cluster is restarting
      std::this_thread::sleep_for(500ms);
    }
  }
}

void Scrape(const AgentDaemon& agent, const std::atomic<bool>& stop, Counts& counts) {
  while (!stop) {
    try {
      const bool scraped = agent.Scrape().status == 200;
      agent.Posture(kTarget, "postgres");
      counts.ok += scraped;
      counts.failed += !scraped;
    } catch (const std::exception&) {
      ++counts.failed;
    }
    std::this_thread::sleep_for(1s);
  }
}

// Waits until `deadline`; true when one of `signals` (blocked in every
// thread, so they wait here) came first.
bool SignalBefore(Clock::time_point deadline, const sigset_t& signals) {
  for (;;) {
    const auto left = std::max(deadline - Clock::now(), Clock::duration::zero());
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
    const timespec timeout{seconds.count(), std::chrono::nanoseconds(left - seconds).count()};
    if (sigtimedwait(&signals, nullptr, &timeout) > 0) return true;
    if (errno != EINTR) return false;
  }
}

}  // namespace
}  // namespace pgposture::bench

int main(int argc, char** argv) {
  using namespace pgposture::bench;
  CLI::App app("pgposture soak: RSS over a bounded run with DDL, restarts and scrapes");
  int duration_s = 600;
  int restart_every_s = 60;
  std::string ddl_window = "1m";
  app.add_option("--duration", duration_s, "Seconds to run (600 by default; 60 for a smoke run)")
      ->check(CLI::Range(30, 7 * 24 * 3600));
  app.add_option("--restart-every", restart_every_s, "Seconds between cluster restarts")
      ->check(CLI::Range(10, 86400));
  app.add_option("--ddl-window", ddl_window, "policy.ddl.window of the daemon (e.g. 1m, 7d)");
  CLI11_PARSE(app, argc, argv);
  // Before any thread starts, so that every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  try {
    FleetCluster fleet(kDatabases);
    fleet.GrowTo(kDatabases);
    const std::set<std::string> names = fleet.ResourceNames(kTarget);
    AgentDaemon agent(fleet.AllDatabasesTarget(kTarget), 2s, 2s,
                      "policy:\n  ddl:\n    window: " + ddl_window + "\n");
    agent.WaitForSweep(names, 0, 60s);

    std::atomic<bool> stop{false};
    Counts ddl;
    Counts scrapes;
    std::thread ddl_thread(RunDdl, fleet.cluster().Dsn(FleetCluster::DatabaseName(1)), std::cref(stop),
                           std::ref(ddl));
    std::thread scrape_thread(Scrape, std::cref(agent), std::cref(stop), std::ref(scrapes));

    const Clock::time_point started = Clock::now();
    const Clock::time_point end = started + std::chrono::seconds(duration_s);
    Clock::time_point next_restart = started + std::chrono::seconds(restart_every_s);
    std::vector<double> minutes;
    std::vector<double> rss_kb;
    std::vector<double> anon_rss_kb;
    ProcessUsage last_sample;
    int restarts = 0;
    bool interrupted = false;
    for (Clock::time_point next_sample = started; Clock::now() < end; next_sample += kSampleEvery) {
      // A Ctrl-C reaches the daemon too, which may be exiting: no sample.
      if (SignalBefore(next_sample, stop_signals)) {
        interrupted = true;
        break;
      }
      minutes.push_back(std::chrono::duration<double, std::ratio<60>>(Clock::now() - started).count());
      last_sample = ReadProcessUsage(agent.pid());
      rss_kb.push_back(last_sample.rss_mb * 1024);
      anon_rss_kb.push_back(last_sample.anon_rss_mb * 1024);
      if (Clock::now() >= next_restart) {
        fleet.cluster().Restart();
        ++restarts;
        next_restart += std::chrono::seconds(restart_every_s);
      }
    }
    const auto ran_s = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count();
    stop = true;
    ddl_thread.join();
    scrape_thread.join();
    if (rss_kb.empty()) throw std::runtime_error("interrupted before the first sample");
    // Every database collected again after the last restart.
    bool recovered = true;
    try {
      if (!interrupted) agent.WaitForSweep(names, UnixNow(), 90s);
    } catch (const std::exception&) {
      recovered = false;
    }
    const ProcessUsage usage = interrupted ? last_sample : ReadProcessUsage(agent.pid());
    agent.Stop();

    const size_t warm = minutes.size() / 5;
    const auto after_warm_up = [warm](const std::vector<double>& all) {
      return std::vector<double>(all.begin() + static_cast<long>(warm), all.end());
    };
    const double slope = Slope(minutes, rss_kb);
    const double warm_slope = Slope(after_warm_up(minutes), after_warm_up(rss_kb));
    const double warm_anon_slope = Slope(after_warm_up(minutes), after_warm_up(anon_rss_kb));
    std::printf("soak: %d databases, interval 2 s, %lld of %d s%s, restart every %d s, ddl window %s\n",
                kDatabases, static_cast<long long>(ran_s), duration_s, interrupted ? " (interrupted)" : "",
                restart_every_s, ddl_window.c_str());
    std::printf("%-34s %10d\n", "cluster restarts", restarts);
    std::printf("%-34s %10d ok %6d failed\n", "DDL statements", ddl.ok.load(), ddl.failed.load());
    std::printf("%-34s %10d ok %6d failed\n", "scrapes (/metrics + GetPosture)", scrapes.ok.load(),
                scrapes.failed.load());
    std::printf("%-34s %10zu\n", "RSS samples", rss_kb.size());
    std::printf("%-34s %10.1f MB\n", "RSS at start", rss_kb.front() / 1024);
    std::printf("%-34s %10.1f MB\n", "RSS at end", rss_kb.back() / 1024);
    std::printf("%-34s %10.1f MB\n", "peak RSS (VmHWM)", usage.peak_rss_mb);
    const auto print_each_minute = [](const char* label, const std::vector<double>& kb) {
      std::printf("%-34s", label);
      for (size_t i = 0; i < kb.size(); i += 60 / kSampleEvery.count()) std::printf(" %.1f", kb[i] / 1024);
      std::printf("\n");
    };
    print_each_minute("RSS each minute, MB", rss_kb);
    print_each_minute("anonymous RSS each minute, MB", anon_rss_kb);
    std::printf("%-34s %10.1f KB/min\n", "RSS slope, whole run", slope);
    std::printf("%-34s %10.1f KB/min\n", "RSS slope, after warm-up", warm_slope);
    // What the process allocated, without the pages of code and libraries
    // it maps: those count in RSS as each path runs for the first time, and
    // are bounded by the size of the files.
    std::printf("%-34s %10.1f KB/min\n", "anonymous RSS slope, after warm-up", warm_anon_slope);
    std::printf("%-34s %10d\n", "open files at end", usage.open_files);
    std::printf("%-64s %s\n", "goal: all databases collected again after the last restart",
                interrupted ? "not checked (interrupted)" : Verdict(recovered));
    std::printf("%-64s %s\n", "goal: RSS flat (slope after warm-up <= 10 KB/min, ~14 MB/day)",
                Verdict(warm_slope <= kGoalSlopeKbPerMin));
  } catch (const std::exception& error) {
    std::fprintf(stderr, "soak_bench: %s\n", error.what());
    return 1;
  }
  return 0;
}
