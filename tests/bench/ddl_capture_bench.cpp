// What DDL capture costs the people running DDL: the time to apply 1,000
// DDL statements on a real cluster without and with pgposture's event
// triggers, and the ratio (goal: under 1.15).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <pqxx/pqxx>
#include <string>

#include "agent/install/installer.h"
#include "tests/bench/stop_signal.h"
#include "tests/harness/pg_cluster.h"

namespace {

using pgposture::testing::PgCluster;

constexpr int kStatements = 1000;
constexpr int kRounds = 5;
constexpr double kGoalRatio = 1.15;

// Seconds to run kStatements DDL statements (create, alter, drop tables, in
// equal parts), each its own transaction, as an application would.
double ApplyDdl(pqxx::connection& connection, int round) {
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kStatements / 4; ++i) {
    const std::string table = "bench_" + std::to_string(round) + "_" + std::to_string(i);
    pqxx::nontransaction transaction(connection);
    transaction.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, note text)");
    transaction.exec("ALTER TABLE " + table + " ADD COLUMN extra int");
    transaction.exec("CREATE INDEX ON " + table + " (note)");
    transaction.exec("DROP TABLE " + table);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

// With pgposture's event triggers enabled (as `install` leaves them) or
// disabled, when PostgreSQL calls nothing of pgposture's.
void SetCapture(pqxx::connection& connection, bool enabled) {
  const std::string state = enabled ? "ENABLE ALWAYS" : "DISABLE";
  pqxx::nontransaction(connection)
      .exec("ALTER EVENT TRIGGER pgposture_ddl_command_end " + state +
            "; ALTER EVENT TRIGGER pgposture_sql_drop " + state);
}

}  // namespace

int main() {
  pgposture::bench::EndOnStopSignal();
  PgCluster cluster;
  const pgposture::bench::StopCleanup destroy_on_stop([&cluster] { cluster.Destroy(); });
  cluster.Psql("CREATE ROLE agent LOGIN");
  pgposture::Install(cluster.Dsn(), "agent");
  pqxx::connection connection(cluster.Dsn());
  // Rounds without and with capture take turns, so that what changes over
  // the run (catalog bloat from the dropped tables, autovacuum, a noisy
  // neighbour) weighs on both alike; the best of each is kept.
  double without = 1e9;
  double with = 1e9;
  for (int round = 0; round < kRounds; ++round) {
    SetCapture(connection, false);
    without = std::min(without, ApplyDdl(connection, 2 * round));
    SetCapture(connection, true);
    with = std::min(with, ApplyDdl(connection, 2 * round + 1));
  }
  const std::string events = cluster.PsqlValue("SELECT count(*) FROM pgposture.ddl_events");
  std::printf("ddl capture overhead (%d DDL statements, best of %d, rounds alternating)\n", kStatements,
              kRounds);
  std::printf("%-22s %10s\n", "", "seconds");
  std::printf("%-22s %10.3f\n", "without capture", without);
  std::printf("%-22s %10.3f\n", "with capture", with);
  const double ratio = with / without;
  std::printf("%-22s %10.3f   (goal < %.2f: %s)\n", "ratio", ratio, kGoalRatio,
              ratio < kGoalRatio ? "met" : "NOT met");
  std::printf("%-22s %10s\n", "events recorded", events.c_str());
  return 0;
}
