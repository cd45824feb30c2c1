#include "agent/collect/work_pool.h"

#include <algorithm>

namespace pgposture {

namespace {

// Threads that stand by for tasks waiting in Blocking(): three per slot,
// at most 64, which also bounds the connection attempts in flight.
int SpareThreads(int concurrency) { return std::min(3 * concurrency, 64); }

// The pool whose task this thread runs, for Blocking().
thread_local WorkPool* current_pool = nullptr;

}  // namespace

WorkPool::WorkPool(int concurrency) : concurrency_(concurrency) {
  const int threads = concurrency + SpareThreads(concurrency);
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

WorkPool::~WorkPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    while (!idle_.empty()) WakeIdleThread();
  }
  for (std::thread& thread : threads_) thread.join();
}

void WorkPool::Submit(std::function<void()> task) {
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_.push_back(std::move(task));
  if (TaskMayStart()) WakeIdleThread();
}

bool WorkPool::TaskMayStart() const {
  return static_cast<int>(tasks_.size()) > waking_ && running_ + returning_ + waking_ < concurrency_;
}

void WorkPool::WakeIdleThread() {
  if (idle_.empty()) return;
  IdleThread* thread = idle_.back();
  idle_.pop_back();
  thread->woken = true;
  ++waking_;
  thread->wake.notify_one();
}

void WorkPool::Work() {
  current_pool = this;
  IdleThread self;
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    // Tasks back from Blocking() have the first claim on a free slot.
    if (!tasks_.empty() && running_ + returning_ < concurrency_) {
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      ++running_;
      lock.unlock();
      task();
      task = nullptr;  // what it holds is released outside the lock
      lock.lock();
      --running_;
      // This thread takes the next task itself, unless a returning one
      // needs the slot.
      if (returning_ > 0) slot_free_.notify_one();
      continue;
    }
    if (stopping_ && tasks_.empty()) {
      // Threads that went idle while the last tasks ran end too.
      while (!idle_.empty()) WakeIdleThread();
      return;
    }
    self.woken = false;
    idle_.push_back(&self);
    self.wake.wait(lock, [&self] { return self.woken; });
    --waking_;
  }
}

std::chrono::steady_clock::duration WorkPool::Blocking(const std::function<void()>& wait) {
  WorkPool* pool = current_pool;
  if (pool == nullptr) {
    wait();
    return {};
  }
  pool->FreeSlot();
  try {
    wait();
  } catch (...) {
    pool->ReturnToSlot();
    throw;
  }
  return pool->ReturnToSlot();
}

void WorkPool::FreeSlot() {
  std::lock_guard<std::mutex> lock(mutex_);
  --running_;
  // Wake one waiter, not every thread (a thundering herd per task at 1,000
  // databases): a returning task first, and a thread for a queued task too
  // when slots are left beyond those the returning tasks will take.
  if (returning_ > 0) slot_free_.notify_one();
  if (TaskMayStart()) WakeIdleThread();
}

std::chrono::steady_clock::duration WorkPool::ReturnToSlot() {
  const auto back = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  ++returning_;
  slot_free_.wait(lock, [this] { return running_ < concurrency_; });
  --returning_;
  ++running_;
  return std::chrono::steady_clock::now() - back;
}

void TaskGroup::Add() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++pending_;
}

void TaskGroup::Done() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
  if (--pending_ == 0) idle_.notify_all();
}

bool TaskGroup::WaitFor(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return pending_ == 0; });
}

int TaskGroup::done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return done_;
}

void TaskGroup::Wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return pending_ == 0; });
}

}  // namespace pgposture
