// Runs collection cycles over every target, on schedule.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "agent/collect/audited_target.h"
#include "agent/collect/deadline_watcher.h"
#include "agent/config/config.h"
#include "agent/state/snapshot_store.h"
#include "exporters/collect_trigger.h"

namespace pgposture {

/// What Run() tells its owner, for systemd's readiness and watchdog.
struct RunHooks {
  /// After every cycle, before the first one makes the agent ready: what
  /// must be in place for a ready agent (the scrape text) is done here.
  std::function<void()> cycle_finished = [] {};
  /// Once, when the first cycle has made the agent ready.
  std::function<void()> ready = [] {};
  /// Whenever the loop is alive: between cycles, and during a cycle as long
  /// as collections keep finishing. A hung cycle stops calling it.
  std::function<void()> alive = [] {};
  /// How often `alive` is due at least.
  std::chrono::milliseconds alive_every{std::chrono::seconds(10)};
};

class Scheduler : public CollectTrigger {
 public:
  /// `backoff`: whether a failing database waits before reconnecting (the
  /// daemon), or is retried at once (a one-shot check).
  Scheduler(const Config& config, SnapshotStore& store, bool backoff);
  ~Scheduler() override;

  /// Collects every database of every target once, at most `concurrency` at
  /// a time, each within its timeout. Returns when all are published.
  void RunCycle();

  /// Runs cycles every interval until Stop(); marks the store ready after the
  /// first one.
  void Run(const RunHooks& hooks = {});

  /// Applies `config` between cycles, and starts the next cycle at once:
  /// added targets start, removed ones stop and leave the store, changed
  /// ones (target or collector settings) start over with new sessions, and
  /// unchanged ones keep their sessions and state (DDL cursors, role
  /// inventory). Listen addresses are not the scheduler's: the caller keeps
  /// its listeners.
  void Reload(const Config& config);

  /// Asks Run() to return: no new collection starts, and collections still
  /// in flight after `grace` (on-demand ones too) are abandoned (their
  /// sessions broken).
  void Stop(std::chrono::milliseconds grace);

  /// Collects one database between cycles, without reconnect backoff (the
  /// caller rate-limits), within agent.timeout or `deadline`, whichever
  /// comes first.
  CollectNowResult CollectNow(const std::string& target, const std::string& database,
                              std::chrono::steady_clock::time_point deadline) override;

 private:
  CollectionContext ContextFor(const AuditedTarget& target);
  void RunCycle(const RunHooks& hooks);
  /// Installs a pending Reload(); called by Run() between cycles.
  void ApplyPendingConfig();

  Config config_;
  SnapshotStore& store_;
  bool backoff_;
  DeadlineWatcher watcher_;
  std::vector<std::unique_ptr<AuditedTarget>> targets_;

  std::atomic<bool> stopping_{false};
  /// Held by a cycle or an on-demand collection: a database's session and
  /// collector state serve one collection at a time.
  std::timed_mutex collecting_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool running_ = false;
  std::optional<Config> pending_config_;  // guarded by mutex_
  std::unique_ptr<WorkPool> pool_;
};

}  // namespace pgposture
