// A degraded fleet: 100 targets, one per database, as a fleet tool writes
// them; 10% point at blackholes (hosts that accept and never answer), and
// one database has pgposture.ddl_events (read by every DDL collection) under
// an ACCESS EXCLUSIVE lock held by the benchmark, as a long migration or a
// stuck maintenance job would hold it. Prints the sweep time of the healthy
// databases next to the same fleet without faults, what the locked and the
// blackholed databases report, and the sessions and sockets the agent holds
// cycle after cycle (they must not pile up).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <pqxx/pqxx>
#include <vector>

#include "tests/bench/bench_support.h"
#include "tests/harness/blackhole.h"

namespace pgposture::bench {
namespace {

using namespace std::chrono_literals;

constexpr auto kInterval = 10s;
constexpr auto kTimeout = 5s;
constexpr int kBlackholeEvery = 10;  // every 10th target

struct Fleet {
  std::string targets_yaml;
  std::set<std::string> healthy;                   // resource names, the locked one included
  std::map<std::string, std::string> resource_of;  // by database name
  std::vector<std::string> blackholed;
};

std::string TargetName(int index) {
  char name[16];
  std::snprintf(name, sizeof(name), "t%03d", index);
  return name;
}

// `targets` targets; with `blackholes`, every kBlackholeEvery-th points at one.
Fleet Targets(const FleetCluster& fleet, int targets,
              const std::vector<std::unique_ptr<testing::Blackhole>>* blackholes) {
  Fleet out;
  int database = 0;
  for (int i = 1; i <= targets; ++i) {
    const std::string name = TargetName(i);
    if (blackholes && i % kBlackholeEvery == 0) {
      const int port = (*blackholes)[out.blackholed.size()]->port();
      out.targets_yaml += AgentDaemon::Target(
          name, "host=127.0.0.1 port=" + std::to_string(port) + " dbname=app user=" + kAgentRole);
      out.blackholed.push_back(ResourceName(name, "app"));
      continue;
    }
    const std::string dbname = database == 0 ? "postgres" : FleetCluster::DatabaseName(database);
    ++database;
    out.targets_yaml += AgentDaemon::Target(name, fleet.cluster().Dsn(dbname, kAgentRole));
    out.healthy.insert(ResourceName(name, dbname));
    out.resource_of[dbname] = ResourceName(name, dbname);
  }
  return out;
}

struct CycleFigures {
  double healthy_sweep_s = 0;
  int sessions = 0;
  int open_files = 0;
  int blackhole_connections = 0;
};

int Accepted(const std::vector<std::unique_ptr<testing::Blackhole>>& blackholes) {
  int accepted = 0;
  for (const auto& blackhole : blackholes) accepted += blackhole->accepted();
  return accepted;
}

// The cycles of one daemon. The first two are printed and left out of the
// median, as fleet_bench leaves them out: the cold one connects and does
// not know yet which targets fail; the next one is a warm-up.
struct Run {
  CycleFigures cold;
  CycleFigures warm_up;
  std::vector<CycleFigures> cycles;
};

CycleFigures Figures(const Sweep& sweep, const FleetCluster& fleet, AgentDaemon& agent,
                     const std::vector<std::unique_ptr<testing::Blackhole>>& blackholes) {
  CycleFigures cycle;
  cycle.healthy_sweep_s = sweep.seconds();
  cycle.sessions = fleet.SessionsOf(kAgentRole);
  cycle.open_files = ReadProcessUsage(agent.pid()).open_files;
  cycle.blackhole_connections = Accepted(blackholes);
  return cycle;
}

// The cold cycle, the warm-up and `cycles` more, timed over the databases
// in `timed`.
Run RunCycles(const FleetCluster& fleet, AgentDaemon& agent, const std::set<std::string>& timed, int cycles,
              const std::vector<std::unique_ptr<testing::Blackhole>>& blackholes) {
  Run run;
  Sweep sweep = agent.WaitForSweep(timed, 0, 300s);
  run.cold = Figures(sweep, fleet, agent, blackholes);
  sweep = agent.WaitForSweep(timed, sweep.latest_start, kInterval + 120s);
  run.warm_up = Figures(sweep, fleet, agent, blackholes);
  for (int i = 0; i < cycles; ++i) {
    sweep = agent.WaitForSweep(timed, sweep.latest_start, kInterval + 120s);
    run.cycles.push_back(Figures(sweep, fleet, agent, blackholes));
  }
  return run;
}

void PrintCycle(const char* run, const std::string& cycle, const CycleFigures& c) {
  std::printf("%-9s %7s %16.2f %9d %11d %22d\n", run, cycle.c_str(), c.healthy_sweep_s, c.sessions,
              c.open_files, c.blackhole_connections);
}

void PrintRun(const char* name, const Run& run) {
  PrintCycle(name, "cold", run.cold);
  PrintCycle(name, "warm-up", run.warm_up);
  for (size_t i = 0; i < run.cycles.size(); ++i) PrintCycle(name, std::to_string(i + 1), run.cycles[i]);
}

double MedianSweep(const std::vector<CycleFigures>& cycles) {
  std::vector<double> sweeps;
  for (const CycleFigures& c : cycles) sweeps.push_back(c.healthy_sweep_s);
  return Percentile(sweeps, 0.5);
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// What the agent reports for the locked database: up, error class, failed
// fact areas, duration. True when it failed on lock_timeout within the
// deadline.
bool PrintLocked(const AgentDaemon& agent, const std::string& resource) {
  const std::string target = resource.substr(8, resource.find('/', 8) - 8);
  const v1::CollectionInfo info =
      agent.Posture(target, resource.substr(resource.rfind('/') + 1)).collection();
  std::printf("  %s: up %d, class %s, collection %.2f s\n", resource.c_str(), info.stale() ? 0 : 1,
              v1::ErrorClass_Name(info.error_class()).c_str(),
              static_cast<double>(info.duration().seconds()) + info.duration().nanos() / 1e9);
  bool lock_timeout = false;
  for (const v1::CollectorError& error : info.collector_errors()) {
    std::printf("    collector %s failed: %s\n", error.collector().c_str(),
                FirstLine(error.message()).c_str());
    lock_timeout |= error.message().find("lock timeout") != std::string::npos;
  }
  lock_timeout |= info.error().find("lock timeout") != std::string::npos;
  return lock_timeout && info.duration().seconds() < kTimeout.count();
}

// Never collected, so only their summaries: up and error.
void PrintBlackholed(const AgentDaemon& agent, const std::vector<std::string>& blackholed) {
  for (const v1::DatabaseSummary& summary : agent.Summaries()) {
    if (std::find(blackholed.begin(), blackholed.end(), summary.name()) == blackholed.end()) continue;
    std::printf("  %s: up %d, %s\n", summary.name().c_str(), summary.stale() ? 0 : 1,
                FirstLine(summary.error()).c_str());
  }
}

}  // namespace
}  // namespace pgposture::bench

int main(int argc, char** argv) {
  using namespace pgposture::bench;
  CLI::App app("pgposture on a degraded fleet: blackholed targets and a locked database");
  int targets = 100;
  int cycles = 4;
  app.add_option("--targets", targets, "Targets, one in ten blackholed")->check(CLI::Range(20, 1000));
  app.add_option("--cycles", cycles, "Cycles measured per run")->check(CLI::Range(1, 50));
  CLI11_PARSE(app, argc, argv);
  pgposture::bench::EndOnStopSignal();
  try {
    const int blackholed = targets / kBlackholeEvery;
    FleetCluster fleet(targets);
    fleet.GrowTo(targets - blackholed);
    std::vector<std::unique_ptr<pgposture::testing::Blackhole>> blackholes;
    for (int i = 0; i < blackholed; ++i)
      blackholes.push_back(std::make_unique<pgposture::testing::Blackhole>());

    std::printf(
        "%d targets, one database each; interval %lld s, timeout %lld s (lock_timeout %lld ms), concurrency "
        "8\n",
        targets, static_cast<long long>(kInterval.count()), static_cast<long long>(kTimeout.count()),
        static_cast<long long>(std::chrono::milliseconds(kTimeout).count() / 4));
    std::printf("%-9s %7s %16s %9s %11s %22s\n", "run", "cycle", "healthy_sweep_s", "sessions", "open_files",
                "blackhole_connections");

    const Fleet normal = Targets(fleet, targets - blackholed, nullptr);
    Run normal_run;
    {
      AgentDaemon agent(normal.targets_yaml, kInterval, kTimeout);
      normal_run = RunCycles(fleet, agent, normal.healthy, cycles, blackholes);
      agent.Stop();
    }
    PrintRun("normal", normal_run);

    const Fleet degraded = Targets(fleet, targets, &blackholes);
    const std::string locked_database = FleetCluster::DatabaseName((targets - blackholed) / 2);
    const std::string locked = degraded.resource_of.at(locked_database);
    pqxx::connection holder(fleet.cluster().Dsn(locked_database));
    pqxx::work lock(holder);
    lock.exec("LOCK TABLE pgposture.ddl_events IN ACCESS EXCLUSIVE MODE");
    AgentDaemon agent(degraded.targets_yaml, kInterval, kTimeout);
    std::set<std::string> healthy = degraded.healthy;
    healthy.erase(locked);
    const Run degraded_run = RunCycles(fleet, agent, healthy, cycles, blackholes);
    PrintRun("degraded", degraded_run);

    std::printf("\nlocked database (ACCESS EXCLUSIVE on pgposture.ddl_events held by the bench):\n");
    const bool locked_failed_on_lock_timeout = PrintLocked(agent, locked);
    std::printf("blackholed targets (%zu):\n", degraded.blackholed.size());
    PrintBlackholed(agent, degraded.blackholed);
    agent.Stop();
    lock.abort();

    const double normal_sweep = MedianSweep(normal_run.cycles);
    const double degraded_sweep = MedianSweep(degraded_run.cycles);
    std::printf("\nhealthy sweep, median after the warm-up: normal %.2f s, degraded %.2f s\n", normal_sweep,
                degraded_sweep);
    std::printf("healthy sweep of the cold cycle: normal %.2f s, degraded %.2f s\n",
                normal_run.cold.healthy_sweep_s, degraded_run.cold.healthy_sweep_s);
    const int databases = static_cast<int>(degraded.healthy.size());
    int most_sessions = 0;
    for (const CycleFigures& c : degraded_run.cycles) most_sessions = std::max(most_sessions, c.sessions);
    most_sessions = std::max({most_sessions, degraded_run.cold.sessions, degraded_run.warm_up.sessions});
    std::printf("%-64s %s\n", "goal: healthy databases sweep within the normal time (+10%, 0.1 s)",
                Verdict(degraded_sweep <= std::max(normal_sweep * 1.1, normal_sweep + 0.1)));
    std::printf("%-64s %s\n", "goal: the locked database fails on lock_timeout, before the deadline",
                Verdict(locked_failed_on_lock_timeout));
    std::printf("%-64s %s (%d sessions at most, %d databases)\n",
                "goal: no session pile-up (at most one per database, every cycle)",
                Verdict(most_sessions <= databases), most_sessions, databases);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "degraded_bench: %s\n", error.what());
    return 1;
  }
  return 0;
}
