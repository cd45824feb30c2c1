// The pool's bound on concurrency, and how a task waiting in Blocking()
// lets the queue move on without lifting that bound.
#include "agent/collect/work_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace pgposture {
namespace {

using namespace std::chrono_literals;

// A gate tasks wait at until the test opens it.
class Gate {
 public:
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  void Pass() {
    std::unique_lock<std::mutex> lock(mutex_);
    opened_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

// Counts tasks running outside Blocking() and remembers the most at once.
class Occupancy {
 public:
  void Enter() {
    const int now = ++running_;
    int seen = most_.load();
    while (now > seen && !most_.compare_exchange_weak(seen, now)) {
    }
  }
  void Leave() { --running_; }
  int most() const { return most_; }

 private:
  std::atomic<int> running_{0};
  std::atomic<int> most_{0};
};

// Runs `tasks` short tasks on a pool of `concurrency`, every other one
// first waiting in Blocking() when `some_blocking`; returns the most that
// ran at once outside Blocking(), or -1 when they did not all finish.
int MostRunningAtOnce(int concurrency, int tasks, bool some_blocking) {
  Occupancy occupancy;
  TaskGroup group;
  WorkPool pool(concurrency);
  for (int i = 0; i < tasks; ++i) {
    group.Add();
    pool.Submit([&, i] {
      if (some_blocking && i % 2 == 0) WorkPool::Blocking([] { std::this_thread::sleep_for(200us); });
      occupancy.Enter();
      std::this_thread::sleep_for(500us);
      occupancy.Leave();
      group.Done();
    });
  }
  return group.WaitFor(20000ms) ? occupancy.most() : -1;
}

TEST(WorkPoolTest, NeverRunsMoreTasksThanItsConcurrency) { EXPECT_EQ(MostRunningAtOnce(2, 40, false), 2); }

TEST(WorkPoolTest, ATaskWaitingInBlockingLetsTheQueueRun) {
  WorkPool pool(1);
  Gate answer;
  TaskGroup hung;
  TaskGroup others;
  hung.Add();
  pool.Submit([&] {
    WorkPool::Blocking([&] { answer.Pass(); });  // a server that does not answer yet
    hung.Done();
  });
  for (int i = 0; i < 5; ++i) {
    others.Add();
    pool.Submit([&] { others.Done(); });
  }
  // With its only slot held, the pool would run nothing until the gate opens.
  EXPECT_TRUE(others.WaitFor(10000ms));
  EXPECT_EQ(hung.done(), 0);
  answer.Open();
  EXPECT_TRUE(hung.WaitFor(10000ms));
}

TEST(WorkPoolTest, BlockingTasksTakeBackTheirSlotWithinTheBound) {
  Occupancy occupancy;
  Gate answer;
  TaskGroup group;
  {
    WorkPool pool(2);
    for (int i = 0; i < 6; ++i) {
      group.Add();
      pool.Submit([&] {
        WorkPool::Blocking([&] { answer.Pass(); });
        occupancy.Enter();
        std::this_thread::sleep_for(5ms);
        occupancy.Leave();
        group.Done();
      });
    }
    answer.Open();
    ASSERT_TRUE(group.WaitFor(10000ms));
  }
  EXPECT_EQ(occupancy.most(), 2);
}

// Slots handed from task to task one wake-up at a time: none may be lost,
// or tasks would stay queued with slots free.
TEST(WorkPoolTest, ManyTasksMixingBlockingAllFinishWithinTheBound) {
  const int most = MostRunningAtOnce(3, 300, true);
  EXPECT_GE(most, 1) << "not every task finished";
  EXPECT_LE(most, 3);
}

TEST(WorkPoolTest, BlockingSaysHowLongTheTaskWaitedForItsSlot) {
  WorkPool pool(1);
  Gate answer;
  std::atomic<bool> slot_taken{false};
  std::chrono::steady_clock::duration waited{};
  TaskGroup group;
  group.Add();
  pool.Submit([&] {
    waited = WorkPool::Blocking([&] { answer.Pass(); });
    group.Done();
  });
  group.Add();
  pool.Submit([&] {
    slot_taken = true;
    std::this_thread::sleep_for(300ms);  // holds the only slot
    group.Done();
  });
  while (!slot_taken) std::this_thread::sleep_for(1ms);
  answer.Open();
  ASSERT_TRUE(group.WaitFor(10000ms));
  EXPECT_GE(waited, 200ms);
}

TEST(WorkPoolTest, BlockingOutsideAPoolJustRuns) {
  bool ran = false;
  EXPECT_EQ(WorkPool::Blocking([&] { ran = true; }).count(), 0);
  EXPECT_TRUE(ran);
}

TEST(WorkPoolTest, AsManyWaitingTasksAsThreadsHoldTheQueue) {
  // One slot, four threads: four waiting tasks hold every thread, so the
  // queue behind them waits for an answer. The spare threads bound how many
  // connection attempts are in flight.
  WorkPool pool(1);
  Gate answer;
  TaskGroup hung;
  TaskGroup behind;
  for (int i = 0; i < 4; ++i) {
    hung.Add();
    pool.Submit([&] {
      WorkPool::Blocking([&] { answer.Pass(); });
      hung.Done();
    });
  }
  behind.Add();
  pool.Submit([&] { behind.Done(); });
  EXPECT_FALSE(behind.WaitFor(200ms));
  answer.Open();
  EXPECT_TRUE(hung.WaitFor(10000ms));
  EXPECT_TRUE(behind.WaitFor(10000ms));
}

// Each thread keeps memory it freed for reuse: tasks that come one at a
// time must not go round every thread of the pool (sixteen here). A thread
// is taken from the top of the idle stack and put back on top, and at most
// twice the concurrency are off it at once (those holding a slot, and those
// woken for a task another thread then took), so the rest are never woken.
// That holds once every thread has started, which the first tasks ensure
// by waiting until all sixteen run at once.
TEST(WorkPoolTest, TasksOneAtATimeKeepToTheSameThreads) {
  constexpr int kConcurrency = 4;
  constexpr int kThreads = 16;  // four slots and twelve spares
  WorkPool pool(kConcurrency);
  std::atomic<int> arrived{0};
  Gate all_started;
  TaskGroup warm_up;
  for (int i = 0; i < kThreads; ++i) {
    warm_up.Add();
    pool.Submit([&] {
      WorkPool::Blocking([&] {
        if (++arrived == kThreads) all_started.Open();
        all_started.Pass();
      });
      warm_up.Done();
    });
  }
  ASSERT_TRUE(warm_up.WaitFor(10000ms));

  std::set<std::thread::id> threads;
  for (int i = 0; i < 300; ++i) {
    TaskGroup one;
    one.Add();
    pool.Submit([&] {
      threads.insert(std::this_thread::get_id());
      one.Done();
    });
    ASSERT_TRUE(one.WaitFor(10000ms));
  }
  EXPECT_LE(threads.size(), 2u * kConcurrency);
}

}  // namespace
}  // namespace pgposture
