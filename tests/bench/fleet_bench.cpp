// The built daemon auditing one local cluster of 1, 10, 100 and 1,000
// databases, configured as a fleet user would: one target with
// `databases: all`, default concurrency and timeout. Per size, after a cold
// sweep (connecting) and a warm-up sweep, it measures warm sweeps: wall time
// from the daemon's own timestamps, its CPU from /proc, the server time (CPU
// of the agent's backends from /proc; statement time and top-level
// statements of the agent's role from pg_stat_statements), the
// daemon's own round-trip count (CollectionInfo.round_trips over gRPC), its
// RSS and the sessions it holds, and compares them with the goals.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <vector>

#include "tests/bench/bench_support.h"

namespace pgposture::bench {
namespace {

using namespace std::chrono_literals;

constexpr char kTarget[] = "fleet";
constexpr double kGoalSweepSeconds = 5;  // at 1,000 databases
constexpr int kGoalSweepDatabases = 1000;
constexpr double kGoalRoundTrips = 3;
constexpr double kGoalServerMs = 0.5;
constexpr double kGoalBaseRssMb = 50;
constexpr double kGoalRssKbPerDatabase = 30;

struct Figures {
  int databases = 0;
  int interval_s = 0;
  double cold_sweep_s = 0;
  double sweep_s = 0;  // median of the measured sweeps
  double cpu_s_per_sweep = 0;
  double server_ms_per_db = 0;      // statement time, from pg_stat_statements
  double server_cpu_ms_per_db = 0;  // CPU of the agent's backends
  double plan_ms_per_db = 0;
  double blocks_hit_per_db = 0;  // shared_buffers pages, from pg_stat_statements
  double blocks_read_per_db = 0;
  double statements_per_db = 0;
  double agent_round_trips_per_db = 0;
  int agent_round_trips_max = 0;
  ProcessUsage usage;
  int sessions = 0;
  int databases_with_session = 0;
  long evicted_statements = 0;
};

// Long enough for a warm sweep to end well before the next cycle starts, so
// readings taken between sweeps see no collection in flight; at least the
// default timeout, which may not exceed it.
std::chrono::seconds IntervalFor(int databases) { return databases >= 1000 ? 20s : 10s; }

Figures Measure(FleetCluster& fleet, int databases, int sweeps) {
  fleet.GrowTo(databases);
  Figures figures;
  figures.databases = databases;
  const std::chrono::seconds interval = IntervalFor(databases);
  figures.interval_s = static_cast<int>(interval.count());
  const std::set<std::string> names = fleet.ResourceNames(kTarget);

  AgentDaemon agent(fleet.AllDatabasesTarget(kTarget), interval, 10s);
  const auto within = interval + 300s;
  const Sweep cold = agent.WaitForSweep(names, 0, within);
  figures.cold_sweep_s = cold.seconds();
  const Sweep warm_up = agent.WaitForSweep(names, cold.latest_start, within);

  fleet.ResetStatements();
  const double backend_cpu_before = fleet.BackendCpuMs(kAgentRole);
  const ProcessUsage before = ReadProcessUsage(agent.pid());
  std::vector<double> times;
  double after = warm_up.latest_start;
  for (int i = 0; i < sweeps; ++i) {
    const Sweep sweep = agent.WaitForSweep(names, after, within);
    times.push_back(sweep.seconds());
    after = sweep.latest_start;
  }
  figures.usage = ReadProcessUsage(agent.pid());
  const StatementTotals statements = fleet.StatementsOf(kAgentRole);
  const double backend_cpu_ms = fleet.BackendCpuMs(kAgentRole) - backend_cpu_before;
  figures.evicted_statements = fleet.EvictedStatements();
  figures.sessions = fleet.SessionsOf(kAgentRole);
  figures.databases_with_session = fleet.DatabasesWithSessionsOf(kAgentRole);

  figures.sweep_s = Percentile(times, 0.5);
  figures.cpu_s_per_sweep = (figures.usage.cpu_seconds - before.cpu_seconds) / sweeps;
  const double collections = static_cast<double>(databases) * sweeps;
  figures.server_ms_per_db = statements.server_ms() / collections;
  figures.server_cpu_ms_per_db = backend_cpu_ms / collections;
  figures.plan_ms_per_db = statements.plan_ms / collections;
  figures.blocks_hit_per_db = statements.blocks_hit / collections;
  figures.blocks_read_per_db = statements.blocks_read / collections;
  figures.statements_per_db = statements.calls / collections;
  double round_trips = 0;
  for (const std::string& database : fleet.Databases()) {
    const int count = agent.Posture(kTarget, database).collection().round_trips();
    round_trips += count;
    figures.agent_round_trips_max = std::max(figures.agent_round_trips_max, count);
  }
  figures.agent_round_trips_per_db = round_trips / databases;
  agent.Stop();
  return figures;
}

void PrintFigures(const std::vector<Figures>& all, int sweeps) {
  std::printf("\nfleet: one target, databases: all, concurrency 8, timeout 10 s; median of %d warm sweeps\n",
              sweeps);
  std::printf("%9s %9s %9s %9s %11s %11s %11s %9s %9s %9s %9s\n", "databases", "interval", "cold_s",
              "sweep_s", "cpu_s/sweep", "srv_ms/db", "stmts/db", "rt/db", "rt_max", "peak_mb", "rss_mb");
  for (const Figures& f : all) {
    std::printf("%9d %8ds %9.2f %9.2f %11.3f %11.3f %11.2f %9.2f %9d %9.1f %9.1f\n", f.databases,
                f.interval_s, f.cold_sweep_s, f.sweep_s, f.cpu_s_per_sweep, f.server_ms_per_db,
                f.statements_per_db, f.agent_round_trips_per_db, f.agent_round_trips_max, f.usage.peak_rss_mb,
                f.usage.rss_mb);
  }
  std::printf("\n%9s %12s %15s %12s %12s %9s %12s %11s\n", "databases", "plan_ms/db", "srv_cpu_ms/db",
              "blks_hit/db", "blks_read/db", "sessions", "with_session", "open_files");
  for (const Figures& f : all) {
    std::printf("%9d %12.3f %15.3f %12.1f %12.1f %9d %12d %11d\n", f.databases, f.plan_ms_per_db,
                f.server_cpu_ms_per_db, f.blocks_hit_per_db, f.blocks_read_per_db, f.sessions,
                f.databases_with_session, f.usage.open_files);
    if (f.evicted_statements > 0) {
      std::printf("  warning: pg_stat_statements evicted %ld entries; server figures undercount\n",
                  f.evicted_statements);
    }
  }
  std::printf(
      "(srv_ms and stmts: pg_stat_statements, top-level statements of role %s, planning + execution\n"
      " (plan_ms: the planning part); it counts the time a backend waited for a CPU while other\n"
      " sessions had it, and leaves out executor start-up and shut-down;\n"
      " srv_cpu_ms: CPU time of the agent's backends (/proc/PID/schedstat), all of it;\n"
      " blks_hit and blks_read: pages of those statements found in shared_buffers and read in;\n"
      " rt: the daemon's own CollectionInfo.round_trips; rt_max: the primary database, which also\n"
      " reads the cluster facts and discovers the databases)\n",
      kAgentRole);

  std::printf("\n%-52s %9s %s\n", "goal", "databases", "result");
  for (const Figures& f : all) {
    if (f.databases == kGoalSweepDatabases) {
      std::printf("%-52s %9d %s (%.2f s)\n", "sweep of 1,000 databases <= 5 s", f.databases,
                  Verdict(f.sweep_s <= kGoalSweepSeconds), f.sweep_s);
    }
    std::printf(
        "%-52s %9d %s (%.2f, server count %.2f)\n", "<= 3 round trips per database per cycle", f.databases,
        Verdict(f.agent_round_trips_per_db <= kGoalRoundTrips && f.statements_per_db <= kGoalRoundTrips),
        f.agent_round_trips_per_db, f.statements_per_db);
    std::printf("%-52s %9d %s (statement time %.3f ms; backend CPU %.3f ms)\n",
                "<= 0.5 ms server time per database per cycle", f.databases,
                Verdict(f.server_ms_per_db <= kGoalServerMs), f.server_ms_per_db, f.server_cpu_ms_per_db);
    const double rss_goal_mb = kGoalBaseRssMb + kGoalRssKbPerDatabase * f.databases / 1024;
    std::printf("%-52s %9d %s (peak %.1f MB, goal %.1f MB)\n", "peak RSS <= 50 MB + 30 KB per database",
                f.databases, Verdict(f.usage.peak_rss_mb <= rss_goal_mb), f.usage.peak_rss_mb, rss_goal_mb);
    std::printf("%-52s %9d %s (%d sessions in %d databases)\n", "exactly one session per database",
                f.databases, Verdict(f.sessions == f.databases && f.databases_with_session == f.databases),
                f.sessions, f.databases_with_session);
  }
}

}  // namespace
}  // namespace pgposture::bench

int main(int argc, char** argv) {
  CLI::App app("pgposture fleet benchmark: sweeps of 1, 10, 100 and 1,000 databases");
  int max_databases = 1000;
  int sweeps = 10;
  app.add_option("--max-databases", max_databases, "Stop after this many databases (1, 10, 100 or 1000)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--sweeps", sweeps, "Warm sweeps measured per size")->check(CLI::Range(1, 20));
  CLI11_PARSE(app, argc, argv);
  pgposture::bench::EndOnStopSignal();
  try {
    pgposture::bench::FleetCluster fleet(max_databases);
    std::vector<pgposture::bench::Figures> all;
    for (int databases : {1, 10, 100, 1000}) {
      if (databases > max_databases) break;
      std::fprintf(stderr, "fleet_bench: measuring %d database(s)\n", databases);
      all.push_back(pgposture::bench::Measure(fleet, databases, sweeps));
    }
    pgposture::bench::PrintFigures(all, sweeps);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "fleet_bench: %s\n", error.what());
    return 1;
  }
  return 0;
}
