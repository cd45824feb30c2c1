// On-demand collections of the Collect RPC, run one at a time off the RPC
// threads, rate-limited per database.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "exporters/collect_trigger.h"

namespace pgposture {

/// At most one start per key every `interval`.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(Clock::duration interval) : interval_(interval) {}
  /// True, recording the start, when `key` last started `interval` or more
  /// before `now`; else false, with *retry_after set to the time left.
  bool TryStart(const std::string& key, Clock::time_point now, Clock::duration* retry_after);

 private:
  Clock::duration interval_;
  std::mutex mutex_;
  std::map<std::string, Clock::time_point> last_start_;
};

/// One on-demand collection.
struct CollectJob {
  std::string target;
  std::string database;
  std::chrono::steady_clock::time_point deadline;
  /// Called once: with the trigger's result, or with kStopping when the
  /// queue stops first (also while the trigger runs: its result is then
  /// dropped). Called from the queue's thread or the thread calling Stop().
  std::function<void(const CollectNowResult&)> done;
};

/// A bounded queue of CollectJobs and the thread that runs them.
class CollectQueue {
 public:
  CollectQueue(CollectTrigger& trigger, std::size_t capacity);
  /// Stops, then joins the thread: the trigger must return first.
  ~CollectQueue();

  /// Queues `job`; false when the queue is full or stopped.
  bool Submit(CollectJob job);
  /// Completes every queued and running job with kStopping and refuses new
  /// ones; returns without waiting for the trigger.
  void Stop();
  /// Waits until no trigger call is running; false when `deadline` came first.
  bool WaitIdle(std::chrono::steady_clock::time_point deadline);

 private:
  struct Entry {
    CollectJob job;
    bool completed = false;  // guarded by mutex_
  };
  void Run();
  /// Calls the job's done unless it was completed already.
  void Complete(const std::shared_ptr<Entry>& entry, const CollectNowResult& result);

  CollectTrigger& trigger_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::shared_ptr<Entry>> queue_;
  std::shared_ptr<Entry> running_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace pgposture
