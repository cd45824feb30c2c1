#include "exporters/grpc/collect_queue.h"

namespace pgposture {

bool RateLimiter::TryStart(const std::string& key, Clock::time_point now, Clock::duration* retry_after) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = last_start_.find(key);
  if (found != last_start_.end() && now < found->second + interval_) {
    *retry_after = found->second + interval_ - now;
    return false;
  }
  last_start_[key] = now;
  return true;
}

CollectQueue::CollectQueue(CollectTrigger& trigger, std::size_t capacity)
    : trigger_(trigger), capacity_(capacity), worker_([this] { Run(); }) {}

CollectQueue::~CollectQueue() {
  Stop();
  worker_.join();
}

bool CollectQueue::Submit(CollectJob job) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_ || queue_.size() >= capacity_) return false;
  queue_.push_back(std::make_shared<Entry>(Entry{std::move(job)}));
  changed_.notify_all();
  return true;
}

void CollectQueue::Stop() {
  std::deque<std::shared_ptr<Entry>> abandoned;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    abandoned.swap(queue_);
    if (running_) abandoned.push_back(running_);
    changed_.notify_all();
  }
  for (const auto& entry : abandoned) Complete(entry, {CollectNowResult::Outcome::kStopping, ""});
}

bool CollectQueue::WaitIdle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_until(lock, deadline, [this] { return running_ == nullptr; });
}

void CollectQueue::Complete(const std::shared_ptr<Entry>& entry, const CollectNowResult& result) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (entry->completed) return;
    entry->completed = true;
  }
  entry->job.done(result);
}

void CollectQueue::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    running_ = std::move(queue_.front());
    queue_.pop_front();
    const std::shared_ptr<Entry> entry = running_;
    lock.unlock();
    CollectNowResult result{CollectNowResult::Outcome::kDeadlineExceeded, ""};
    if (std::chrono::steady_clock::now() < entry->job.deadline) {
      result = trigger_.CollectNow(entry->job.target, entry->job.database, entry->job.deadline);
    }
    Complete(entry, result);
    lock.lock();
    running_.reset();
    changed_.notify_all();
  }
}

}  // namespace pgposture
