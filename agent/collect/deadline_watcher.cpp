#include "agent/collect/deadline_watcher.h"

#include <algorithm>

namespace pgposture {

DeadlineWatcher::DeadlineWatcher() : thread_([this] { Loop(); }) {}

DeadlineWatcher::~DeadlineWatcher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

DeadlineWatcher::Guard::Guard(DeadlineWatcher& watcher, Session& session, Clock::time_point deadline)
    : watcher_(watcher), session_(session), deadline_(deadline) {
  {
    std::lock_guard<std::mutex> lock(watcher_.mutex_);
    watcher_.watched_.push_back(this);
  }
  watcher_.changed_.notify_all();
}

DeadlineWatcher::Guard::~Guard() {
  // Unregistering under the lock guarantees the watcher never touches the
  // session's socket after this returns, when it may be closed and its
  // descriptor reused.
  std::lock_guard<std::mutex> lock(watcher_.mutex_);
  watcher_.watched_.remove(this);
}

bool DeadlineWatcher::Guard::expired() const {
  std::lock_guard<std::mutex> lock(watcher_.mutex_);
  return expired_;
}

void DeadlineWatcher::AbortAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (Guard* guard : watched_) {
    guard->expired_ = true;
    guard->session_.Abort();
  }
}

void DeadlineWatcher::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    const Clock::time_point now = Clock::now();
    Clock::time_point next = Clock::time_point::max();
    for (Guard* guard : watched_) {
      if (guard->expired_) continue;
      if (guard->deadline_ <= now) {
        guard->expired_ = true;
        guard->session_.Abort();
      } else {
        next = std::min(next, guard->deadline_);
      }
    }
    if (next == Clock::time_point::max()) {
      changed_.wait(lock);
    } else {
      changed_.wait_until(lock, next);
    }
  }
}

}  // namespace pgposture
