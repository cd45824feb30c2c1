// Enforces the per-database deadline on sessions that are mid-query.
#pragma once

#include <chrono>
#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>

#include "collectors/session.h"

namespace pgposture {

/// A thread that breaks the connection of any session still in use past its
/// deadline. statement_timeout covers a slow server, but not one that stopped
/// answering (a hung host, a blackholed port); only closing the socket
/// unblocks the collector then.
class DeadlineWatcher {
 public:
  using Clock = std::chrono::steady_clock;

  DeadlineWatcher();
  ~DeadlineWatcher();
  DeadlineWatcher(const DeadlineWatcher&) = delete;
  DeadlineWatcher& operator=(const DeadlineWatcher&) = delete;

  /// Watches `session` from construction to destruction; the session must
  /// outlive the guard.
  class Guard {
   public:
    Guard(DeadlineWatcher& watcher, Session& session, Clock::time_point deadline);
    ~Guard();
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    /// True when the watcher aborted the session.
    bool expired() const;

   private:
    friend class DeadlineWatcher;
    DeadlineWatcher& watcher_;
    Session& session_;
    Clock::time_point deadline_;
    bool expired_ = false;  // guarded by watcher_.mutex_
  };

  /// Aborts every watched session now (shutdown).
  void AbortAll();

 private:
  void Loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::list<Guard*> watched_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pgposture
