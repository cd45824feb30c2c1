// One connection to one database, as every collector uses it.
#pragma once

#include <map>
#include <pqxx/connection>
#include <pqxx/result>
#include <string>
#include <vector>

#include "collectors/tagged_rows.h"

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

  /// Runs the tagged-rows `statements` together, in one round trip, and
  /// keeps each one's rows for QueryRows. The combined statement is a
  /// prepared statement, planned once per session while its text stays the
  /// same (one more round trip when it changes). When it fails but the
  /// connection stays open (a missing privilege, lock_timeout), nothing is
  /// kept: each statement then runs on its own when asked for, so that it
  /// fails only its own collector. Forgets what an earlier call kept; fewer
  /// than two statements are left to QueryRows.
  void Prefetch(const std::vector<TaggedQuery>& statements);
  /// The tagged rows of `query`: those Prefetch kept (handed out once), else
  /// read now in a round trip. Throws pqxx exceptions.
  TaggedRows QueryRows(const TaggedQuery& query);

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

  /// True when the server ended the session while it was idle: between
  /// statements the server writes only to say goodbye, so the socket being
  /// readable (or closed) means the next statement would fail. No round trip.
  bool ClosedByServer() const;

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
  /// Prepares `sql` as the batch statement unless it already is.
  void PrepareBatch(const std::string& sql);

  std::map<TaggedQuery, TaggedRows> prefetched_;
  bool batch_prepared_ = false;
};

}  // namespace pgposture
