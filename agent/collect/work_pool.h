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

/// Runs at most `concurrency` tasks at once. A task that waits on something
/// outside the agent (opening a connection to a server that may never
/// answer) does it in Blocking(), which hands its slot to the next queued
/// task meanwhile, so servers that hang cannot hold every slot: spare
/// threads (three per slot, at most 64) run the queue while up to that many
/// tasks wait. The thread idle for the shortest time takes the next task,
/// so the spare threads stay idle while no task blocks: each thread keeps
/// freed memory for reuse (glibc's per-thread cache), and threads that take
/// turns would each hold some.
class WorkPool {
 public:
  explicit WorkPool(int concurrency);
  /// Finishes queued tasks, then joins.
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  void Submit(std::function<void()> task);

  /// Runs `wait`. Called by a task of a pool, the task gives up its slot
  /// while `wait` runs and takes one again after, before the queued tasks,
  /// and returns how long it waited for that slot; called from any other
  /// thread, it just runs `wait` and returns 0.
  static std::chrono::steady_clock::duration Blocking(const std::function<void()>& wait);

 private:
  // A thread waiting for a task to start.
  struct IdleThread {
    std::condition_variable wake;
    bool woken = false;
  };

  void Work();
  void FreeSlot();
  std::chrono::steady_clock::duration ReturnToSlot();
  // With mutex_ held: a queued task may start in a slot no returning task
  // claims, with no woken thread already on its way to it.
  bool TaskMayStart() const;
  // With mutex_ held: wakes the thread idle for the shortest time.
  void WakeIdleThread();

  const int concurrency_;
  std::mutex mutex_;
  // A slot is free for a task back from Blocking().
  std::condition_variable slot_free_;
  std::deque<std::function<void()>> tasks_;
  int running_ = 0;                // tasks holding a slot
  int returning_ = 0;              // tasks back from Blocking(), waiting for a slot
  int waking_ = 0;                 // threads woken for a task, not yet running
  std::vector<IdleThread*> idle_;  // the most recently idle last
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
