// Throwaway PostgreSQL 15 clusters for integration tests, run by scripts/pgcluster.sh.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pgposture::testing {

struct PgClusterOptions {
  /// Preloads pgaudit; CREATE EXTENSION is left to the test.
  bool pgaudit = true;
  /// archive_mode=on, archiving completed WAL segments into dir()/archive.
  bool archiving = false;
  /// postgresql.conf lines, verbatim; they override the harness's settings.
  std::vector<std::string> conf_lines;
  /// pg_hba.conf content replacing the default, which trusts the superuser
  /// postgres (Unix socket and 127.0.0.1) and wants a SCRAM password from
  /// every other role over 127.0.0.1. Psql() uses the Unix socket, so keep a
  /// `local all postgres trust` line to use it.
  std::optional<std::string> hba;
  /// Directory holding server.crt, server.key and optionally root.crt (client
  /// CA); turns SSL on.
  std::optional<std::string> ssl_dir;
};

/// A running cluster in a fresh directory under /tmp, listening on 127.0.0.1
/// and on a Unix socket in dir(). Many may run at once, also from parallel test
/// processes. Its PostgreSQL log is dir() + "/postgres.log". The const members
/// may be called from several threads; Stop, Start and Restart may not.
class PgCluster {
 public:
  /// Creates and starts the cluster; throws std::runtime_error with the
  /// server log's tail when that fails.
  explicit PgCluster(PgClusterOptions options = {});
  /// Stops the server and removes dir(); never throws.
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  /// The same across Stop and Start.
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }

  /// libpq key=value string reaching the server over TCP.
  std::string Dsn(const std::string& dbname = "postgres", const std::string& user = "postgres") const;

  /// Runs `sql` as the superuser, each statement in its own transaction;
  /// throws std::runtime_error with psql's stderr on the first error.
  void Psql(const std::string& sql, const std::string& dbname = "postgres") const;
  /// Like Psql, returning the unaligned, header-less output without its final
  /// newline: the value for a one-row, one-column query.
  std::string PsqlValue(const std::string& sql, const std::string& dbname = "postgres") const;

  /// Each throws std::runtime_error on failure.
  void Stop();
  void Start();
  void Restart();
  /// What the destructor does, now: for a process about to end without
  /// running destructors (a bench stopped by a signal). Never throws.
  void Destroy() noexcept;

 private:
  /// Runs pgcluster.sh with `args`; returns its stdout, throws on failure.
  std::string RunScript(const std::vector<std::string>& args, const std::string& input = "") const;
  /// Runs pgcluster.sh start or restart and takes the port it reports.
  void StartWith(const std::vector<std::string>& args);

  std::string dir_;
  int port_ = 0;
};

}  // namespace pgposture::testing
