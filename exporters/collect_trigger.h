// On-demand collection, as the agent offers it to exporters (gRPC Collect).
#pragma once

#include <chrono>
#include <string>

namespace pgposture {

/// How an on-demand collection went.
struct CollectNowResult {
  enum class Outcome {
    /// Collected and published.
    kCollected,
    /// Tried and failed: the previous facts stay published, marked stale.
    kFailed,
    /// No such target, or no such database in it (as configured or as
    /// discovered by the latest cycle).
    kUnknown,
    /// The deadline passed while waiting for the collection cycle in progress.
    kDeadlineExceeded,
    /// The agent is shutting down.
    kStopping,
  };
  Outcome outcome;
  /// Why it failed; empty otherwise. Never holds a secret.
  std::string error;
};

/// Implemented by the agent, which owns the sessions; exporters only ask.
class CollectTrigger {
 public:
  virtual ~CollectTrigger() = default;
  /// Collects database `database` of target `target` now, after any
  /// collection cycle in progress, and publishes the result before
  /// returning. Gives up waiting at `deadline`, and the collection itself
  /// ends by then. Blocks: call it off the RPC threads.
  virtual CollectNowResult CollectNow(const std::string& target, const std::string& database,
                                      std::chrono::steady_clock::time_point deadline) = 0;
};

}  // namespace pgposture
