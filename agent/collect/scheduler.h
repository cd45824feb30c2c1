// Runs collection cycles over every target, on schedule.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "agent/collect/audited_target.h"
#include "agent/collect/deadline_watcher.h"
#include "agent/config/config.h"
#include "agent/state/snapshot_store.h"

namespace pgposture {

class Scheduler {
 public:
  /// `backoff`: whether a failing database waits before reconnecting (the
  /// daemon), or is retried at once (a one-shot check).
  Scheduler(const Config& config, SnapshotStore& store, bool backoff);
  ~Scheduler();

  /// Collects every database of every target once, at most `concurrency` at
  /// a time, each within its timeout. Returns when all are published.
  void RunCycle();

  /// Runs cycles every interval until Stop(); marks the store ready after the
  /// first one.
  void Run();

  /// Asks Run() to return: no new collection starts, and collections still
  /// in flight after `grace` are abandoned (their sessions broken).
  void Stop(std::chrono::milliseconds grace);

 private:
  CollectionContext ContextFor(const AuditedTarget& target);

  Config config_;
  SnapshotStore& store_;
  bool backoff_;
  DeadlineWatcher watcher_;
  std::vector<std::unique_ptr<AuditedTarget>> targets_;

  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool running_ = false;
  std::unique_ptr<WorkPool> pool_;
};

}  // namespace pgposture
