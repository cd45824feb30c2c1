// A fixed set of threads running queued tasks: the bound on concurrency.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pgposture {

class WorkPool {
 public:
  explicit WorkPool(int threads);
  /// Finishes queued tasks, then joins.
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  void Submit(std::function<void()> task);

 private:
  void Work();

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

/// Counts tasks in flight so a caller can wait for all of them, including
/// tasks that tasks submit.
class TaskGroup {
 public:
  void Add();
  void Done();
  void Wait();
  /// Waits at most `timeout`; true when every task is done.
  bool WaitFor(std::chrono::milliseconds timeout);
  /// Tasks done so far: a waiter can tell progress from a hang.
  int done() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  int pending_ = 0;
  int done_ = 0;
};

}  // namespace pgposture
