// One database under audit: its session, collectors and latest facts.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/collect/deadline_watcher.h"
#include "agent/collect/failure.h"
#include "agent/config/config.h"
#include "collectors/conninfo.h"
#include "collectors/registry.h"

namespace pgposture {

/// What a collection needs to know about the target it runs for.
struct CollectionContext {
  const TargetConfig* target;
  SessionLimits limits;
  std::chrono::milliseconds timeout;
  v1::MaturityLevel required_level;
  DeadlineWatcher* watcher;
  /// Reconnect backoff applies (the daemon); a one-shot check always tries.
  bool backoff;
  /// Set when the agent shuts down: queued collections are skipped.
  const std::atomic<bool>* stopping;
};

/// The outcome of collecting one database once.
struct CollectionResult {
  /// Database part of the snapshot: facts (or the last good ones marked
  /// stale), collection info. Findings are added by the caller.
  std::shared_ptr<v1::DatabasePosture> database;
  /// Primary database only, on success: the cluster-scoped facts.
  std::shared_ptr<v1::DatabasePosture> cluster;
  /// Primary database with `databases: all`, on success: connectable
  /// non-template databases.
  std::vector<std::string> discovered;
  bool ok = false;
};

/// Keeps one session open across cycles (one per database, never more),
/// reconnecting with exponential backoff after a failure, and the collectors'
/// state between cycles.
class AuditedDatabase {
 public:
  using Clock = std::chrono::steady_clock;

  /// `primary`: the target's primary database, the one that reads the
  /// cluster-wide facts. Only it has cluster collectors, whose state (the
  /// role inventory, compiled patterns) would otherwise be kept once per
  /// database of a fleet.
  AuditedDatabase(std::string name, const CollectorOptions& options, bool primary);

  /// Collects this database's facts; as the target's primary database it
  /// also reads the cluster-wide facts and, when `discover`, lists the
  /// databases.
  CollectionResult Collect(const CollectionContext& context, bool discover);

  /// Records a failure found elsewhere (the primary database of the same
  /// cluster failed, so this one was not tried).
  CollectionResult MarkFailed(const CollectionContext& context, v1::ErrorClass error_class,
                              const std::string& message);

  const std::string& name() const { return name_; }
  /// The latest collection failed (or is backing off).
  bool failing() const { return consecutive_failures_ > 0; }

 private:
  // Opens a session unless one is open; returns how long it then waited for
  // a worker slot (WorkPool::Blocking).
  Clock::duration Connect(const CollectionContext& context);
  std::shared_ptr<v1::DatabasePosture> StartPosture(const CollectionContext& context) const;
  /// The last good facts marked stale with `failure`, or just the failure
  /// when there never were any.
  CollectionResult StaleResult(const CollectionContext& context, const Failure& failure,
                               std::chrono::system_clock::time_point started) const;
  void RecordFailure(const CollectionContext& context, const Failure& failure);

  std::string name_;
  bool primary_;
  std::unique_ptr<Session> session_;
  Collectors cluster_collectors_;
  Collectors database_collectors_;
  std::shared_ptr<const v1::DatabasePosture> last_good_;
  int consecutive_failures_ = 0;
  Clock::time_point next_connect_ = Clock::time_point::min();
  Failure last_failure_;
};

/// Resource name of a database: targets/{target}/databases/{database}.
std::string DatabaseResourceName(const std::string& target, const std::string& database);

}  // namespace pgposture
