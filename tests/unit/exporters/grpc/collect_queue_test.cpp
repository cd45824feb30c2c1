#include "exporters/grpc/collect_queue.h"

#include <gtest/gtest.h>

#include <future>

namespace pgposture {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(RateLimiterTest, OneStartPerKeyPerInterval) {
  RateLimiter limiter(10s);
  const Clock::time_point start = Clock::now();
  Clock::duration retry{};
  EXPECT_TRUE(limiter.TryStart("a", start, &retry));
  EXPECT_TRUE(limiter.TryStart("b", start, &retry));
  EXPECT_FALSE(limiter.TryStart("a", start + 4s, &retry));
  EXPECT_EQ(retry, 6s);
  EXPECT_TRUE(limiter.TryStart("a", start + 10s, &retry));
}

// Blocks in CollectNow until released, recording what it was asked.
class GatedTrigger : public CollectTrigger {
 public:
  CollectNowResult CollectNow(const std::string& target, const std::string& database,
                              Clock::time_point) override {
    entered.set_value();
    release.get_future().wait();
    return {CollectNowResult::Outcome::kCollected, target + "/" + database};
  }
  std::promise<void> entered;
  std::promise<void> release;
};

TEST(CollectQueueTest, RunsJobsAndReportsTheirResult) {
  GatedTrigger trigger;
  CollectQueue queue(trigger, 2);
  std::promise<CollectNowResult> done;
  ASSERT_TRUE(
      queue.Submit({"t", "d", Clock::now() + 10s, [&](const CollectNowResult& r) { done.set_value(r); }}));
  trigger.entered.get_future().wait();
  EXPECT_FALSE(queue.WaitIdle(Clock::now() + 10ms));
  trigger.release.set_value();
  const CollectNowResult result = done.get_future().get();
  EXPECT_EQ(result.outcome, CollectNowResult::Outcome::kCollected);
  EXPECT_EQ(result.error, "t/d");
  EXPECT_TRUE(queue.WaitIdle(Clock::now() + 1s));
}

TEST(CollectQueueTest, ExpiredJobsDoNotCollect) {
  GatedTrigger trigger;
  CollectQueue queue(trigger, 2);
  std::promise<CollectNowResult> done;
  ASSERT_TRUE(
      queue.Submit({"t", "d", Clock::now() - 1s, [&](const CollectNowResult& r) { done.set_value(r); }}));
  EXPECT_EQ(done.get_future().get().outcome, CollectNowResult::Outcome::kDeadlineExceeded);
}

TEST(CollectQueueTest, StopEndsQueuedAndRunningJobsOnceAndRefusesMore) {
  GatedTrigger trigger;
  CollectQueue queue(trigger, 1);
  std::vector<CollectNowResult::Outcome> running;
  std::vector<CollectNowResult::Outcome> queued;
  ASSERT_TRUE(
      queue.Submit({"t", "a", Clock::now() + 10s, [&](const auto& r) { running.push_back(r.outcome); }}));
  trigger.entered.get_future().wait();
  ASSERT_TRUE(
      queue.Submit({"t", "b", Clock::now() + 10s, [&](const auto& r) { queued.push_back(r.outcome); }}));
  EXPECT_FALSE(queue.Submit({"t", "c", Clock::now() + 10s, [](const auto&) {}})) << "over capacity";

  queue.Stop();
  EXPECT_EQ(running, std::vector<CollectNowResult::Outcome>{CollectNowResult::Outcome::kStopping});
  EXPECT_EQ(queued, std::vector<CollectNowResult::Outcome>{CollectNowResult::Outcome::kStopping});
  EXPECT_FALSE(queue.Submit({"t", "d", Clock::now() + 10s, [](const auto&) {}}));
  // The trigger's own result, once it returns, is dropped.
  trigger.release.set_value();
  EXPECT_TRUE(queue.WaitIdle(Clock::now() + 1s));
  EXPECT_EQ(running.size(), 1u);
}

}  // namespace
}  // namespace pgposture
