// One connection to one database, as every collector uses it.
#pragma once

#include <pqxx/connection>
#include <pqxx/result>
#include <string>

namespace pgposture {

/// A libpq connection opened with AgentConnInfo(): every statement runs in
/// its own read-only transaction with the agent's timeouts, set once at
/// connect time through the startup packet, so no query costs a BEGIN/COMMIT
/// round trip.
class Session {
 public:
  /// Connects; throws pqxx::broken_connection (or a subclass) on failure.
  explicit Session(const std::string& conninfo);

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Runs one statement (one round trip). Throws pqxx exceptions.
  pqxx::result Query(const std::string& sql);

  /// PostgreSQL's server_version_num, read from the connection (no query).
  int server_version_num() const { return server_version_num_; }
  /// The role the agent logged in as.
  const std::string& user() const { return user_; }
  const std::string& database() const { return database_; }

  /// Statements sent since the last ResetRoundTrips().
  int round_trips() const { return round_trips_; }
  void ResetRoundTrips() { round_trips_ = 0; }

  /// False once the connection broke; the session must then be replaced.
  bool is_open() const;

  /// Breaks the connection from another thread, so that a call blocked on a
  /// server that never answers returns (with pqxx::broken_connection). This
  /// is how the per-database deadline holds even against a hung server, where
  /// neither statement_timeout nor a cancel request can help. The caller must
  /// guarantee the session outlives this call.
  void Abort();

 private:
  pqxx::connection connection_;
  int server_version_num_;
  std::string user_;
  std::string database_;
  int round_trips_ = 0;
};

}  // namespace pgposture
