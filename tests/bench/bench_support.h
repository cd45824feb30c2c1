// What the fleet, peer, degraded and soak benchmarks share: a cluster holding
// many databases, the pgposture daemon under measurement, and the figures
// read from /proc and from the server's statistics.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "pgposture/v1/service.grpc.pb.h"
#include "tests/bench/stop_signal.h"
#include "tests/e2e/pgposture_binary.h"
#include "tests/harness/http_client.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture::bench {

/// The role pgposture logs in as, and the one the peer exporter uses, so
/// that the server's statistics tell their sessions and statements apart.
inline constexpr char kAgentRole[] = "agent";
inline constexpr char kPeerRole[] = "peer";
/// Both roles' password; the benchmark's own throwaway cluster.
inline constexpr char kPassword[] = "bench-password";

/// CPU and memory of a running process, read from /proc.
struct ProcessUsage {
  double cpu_seconds = 0;  // user + system
  double rss_mb = 0;       // VmRSS
  double anon_rss_mb = 0;  // RssAnon: VmRSS less the pages of mapped files (code, libraries)
  double peak_rss_mb = 0;  // VmHWM
  int open_files = 0;      // entries of /proc/PID/fd
};
ProcessUsage ReadProcessUsage(pid_t pid);

/// The value at `fraction` (0.5: median) of `values`; 0 when empty.
double Percentile(std::vector<double> values, double fraction);
/// Least-squares slope of `y` over `x`; 0 with fewer than two points.
double Slope(const std::vector<double>& x, const std::vector<double>& y);
/// Seconds since the Unix epoch, as the daemon's timestamps are.
double UnixNow();
/// "met" or "NOT met".
const char* Verdict(bool met);

/// Statements a role ran, from pg_stat_statements: top-level ones only, so a
/// function's inner statements count in its call's time, not as round trips.
struct StatementTotals {
  double calls = 0;
  double plan_ms = 0;
  double exec_ms = 0;
  /// Pages found in shared_buffers, and pages read in (from the OS).
  double blocks_hit = 0;
  double blocks_read = 0;
  double server_ms() const { return plan_ms + exec_ms; }
};

/// One local PostgreSQL 15 cluster sized for `max_databases` audited
/// databases and two auditors (pgposture and a peer): pgaudit and
/// pg_stat_statements (track=all, planning tracked) preloaded, the agent and
/// peer roles in pg_monitor, and a small template database with pgposture's
/// objects installed, which every added database is copied from.
class FleetCluster {
 public:
  explicit FleetCluster(int max_databases);

  testing::PgCluster& cluster() { return cluster_; }
  const testing::PgCluster& cluster() const { return cluster_; }
  /// Makes the cluster hold `databases` auditable databases: postgres plus
  /// copies of the template, named by DatabaseName(1...).
  void GrowTo(int databases);
  /// The auditable databases, postgres first.
  std::vector<std::string> Databases() const;
  /// Their resource names under target `target`.
  std::set<std::string> ResourceNames(const std::string& target) const;
  /// A config entry for target `target` auditing every database as the
  /// agent's role, as a fleet user configures it (`databases: all`).
  std::string AllDatabasesTarget(const std::string& target) const;
  static std::string DatabaseName(int index);

  /// Sessions `role` holds now.
  int SessionsOf(const std::string& role) const;
  /// Distinct databases `role` has a session in now.
  int DatabasesWithSessionsOf(const std::string& role) const;
  StatementTotals StatementsOf(const std::string& role) const;
  /// CPU time, in ms, the server processes of `role`'s sessions have used
  /// since they started (/proc/PID/schedstat, in ns, unlike the 10 ms ticks
  /// of /proc/PID/stat). Unlike pg_stat_statements' times, it leaves out
  /// the time a backend waited for a CPU while other sessions had it, and
  /// counts what they leave out: executor start-up and shut-down, the
  /// protocol, the transaction.
  double BackendCpuMs(const std::string& role) const;
  void ResetStatements() const;
  /// Statement entries pg_stat_statements evicted since its last reset: the
  /// totals above undercount when this is not 0.
  long EvictedStatements() const;

 private:
  testing::PgCluster cluster_;
  StopCleanup destroy_on_stop_{[this] { cluster_.Destroy(); }};
  int databases_ = 1;
};

/// Per-database facts of one collection of one database, read from /metrics.
struct Collection {
  double started = 0;  // pgposture_last_success_timestamp_seconds
  double seconds = 0;  // pgposture_collection_duration_seconds
  bool up = false;
};

/// A sweep: from the start of the first collection to the end of the last
/// one, over the databases waited for.
struct Sweep {
  double started = 0;
  double ended = 0;
  double latest_start = 0;
  double seconds() const { return ended - started; }
};

/// `pgposture run` on a written configuration, reached over HTTP and gRPC.
class AgentDaemon {
 public:
  /// `targets_yaml`: the `targets:` list items, indented by two spaces.
  /// Every target's password is kPassword, from a password file.
  /// `more_yaml`: further top-level sections, such as `policy:`.
  AgentDaemon(const std::string& targets_yaml, std::chrono::seconds interval, std::chrono::seconds timeout,
              const std::string& more_yaml = "");

  pid_t pid() { return daemon_->process().pid(); }
  int metrics_port() const { return metrics_port_; }
  /// A target entry for the config, with the password file and `extra`
  /// lines (indented by four spaces) added.
  static std::string Target(const std::string& name, const std::string& dsn, const std::string& extra = "");

  testing::HttpResponse Scrape() const;
  /// Collections by database name, as one /metrics scrape shows them.
  std::map<std::string, Collection> Collections() const;
  /// Every database's summary, over gRPC (ListTargets); none until the
  /// first cycle has ended.
  std::vector<v1::DatabaseSummary> Summaries() const;
  /// One database's posture, over gRPC; throws when the call fails.
  v1::DatabasePosture Posture(const std::string& target, const std::string& database) const;

  /// Waits until every one of `databases` (resource names
  /// targets/T/databases/D) has a successful collection started after
  /// `after` (Unix seconds); throws after `within`.
  Sweep WaitForSweep(const std::set<std::string>& databases, double after, std::chrono::seconds within) const;

  /// SIGTERM, then waits for the exit; throws when it does not stop.
  void Stop();

 private:
  std::unique_ptr<testing::Daemon> daemon_;
  StopCleanup stop_on_stop_{[this] {
    if (daemon_) daemon_->process().Kill(SIGTERM);
  }};
  int metrics_port_ = 0;
  std::unique_ptr<v1::PostureService::Stub> stub_;
};

/// Resource name of a database, as gRPC and sweeps name it.
std::string ResourceName(const std::string& target, const std::string& database);

/// Latency in ms of `scrapes` sequential GET /metrics (fresh connections) at
/// 127.0.0.1:port, stopping early after `budget` (at least 3 scrapes); the
/// payload of the last one in `payload_bytes`. Throws on a non-200 answer.
std::vector<double> TimedScrapes(int port, int scrapes, std::chrono::seconds budget, size_t& payload_bytes);

}  // namespace pgposture::bench
