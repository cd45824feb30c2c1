#include "exporters/grpc/ddl_event_feed.h"

#include <gtest/gtest.h>

#include "tests/unit/exporters/grpc/grpc_fixtures.h"

namespace pgposture {
namespace {

using testing::Collected;
using testing::Event;
using testing::SetDdl;

// Records what the feed sends.
class RecordingSink : public DdlEventSink {
 public:
  void OnEvents(const NewDdlEvents& batch) override {
    for (const v1::DdlEvent& event : batch.events) ids.push_back(event.id());
    for (const v1::DdlEvent& event : batch.events) databases.push_back(event.database());
    lost += batch.lost;
    lost_out_of_band += batch.lost_out_of_band;
  }
  void OnClosed() override { closed = true; }

  std::vector<std::int64_t> ids;
  std::vector<std::string> databases;
  std::int64_t lost = 0;
  std::int64_t lost_out_of_band = 0;
  bool closed = false;
};

DatabaseSnapshot Snapshot(const v1::DatabasePosture& database) {
  return {nullptr, std::make_shared<const v1::DatabasePosture>(database)};
}

class DdlEventFeedTest : public ::testing::Test {
 protected:
  void Publish(const std::vector<v1::DdlEvent>& newest_first, std::int64_t extra_out_of_band = 0) {
    v1::DatabasePosture posture = Collected("t", "d");
    SetDdl(posture, newest_first, extra_out_of_band);
    feed_.OnPublished(Snapshot(posture));
  }

  DdlEventFeed feed_{4};
  RecordingSink sink_;
};

TEST_F(DdlEventFeedTest, FirstSnapshotIsHistoryLaterOnesAreNews) {
  ASSERT_EQ(feed_.Subscribe(&sink_), DdlEventFeed::Subscribed::kYes);
  Publish({Event(2, 20), Event(1, 10)});
  EXPECT_TRUE(sink_.ids.empty());
  Publish({Event(4, 40), Event(3, 30), Event(2, 20), Event(1, 10)});
  EXPECT_EQ(sink_.ids, (std::vector<std::int64_t>{3, 4}));  // oldest first
  EXPECT_EQ(sink_.databases.front(), "targets/t/databases/d");
  // The same snapshot again (a stale copy, a republish) brings nothing.
  Publish({Event(4, 40), Event(3, 30), Event(2, 20), Event(1, 10)});
  EXPECT_EQ(sink_.ids.size(), 2u);
  EXPECT_EQ(sink_.lost, 0);
}

TEST_F(DdlEventFeedTest, LateCommittedLowerIdIsStillNews) {
  ASSERT_EQ(feed_.Subscribe(&sink_), DdlEventFeed::Subscribed::kYes);
  Publish({Event(5, 50)});
  Publish({Event(4, 40), Event(5, 50)});
  EXPECT_EQ(sink_.ids, (std::vector<std::int64_t>{4}));
}

TEST_F(DdlEventFeedTest, CountsEventsThatNeverReachedASnapshot) {
  ASSERT_EQ(feed_.Subscribe(&sink_), DdlEventFeed::Subscribed::kYes);
  Publish({Event(1, 10)});
  // Three out-of-band events arrived but only the newest is still recent.
  Publish({Event(4, 40)}, /*extra_out_of_band=*/3);
  EXPECT_EQ(sink_.ids, (std::vector<std::int64_t>{4}));
  EXPECT_EQ(sink_.lost, 2);
  EXPECT_EQ(sink_.lost_out_of_band, 2);
}

TEST_F(DdlEventFeedTest, SnapshotsWithoutCaptureAreSkipped) {
  ASSERT_EQ(feed_.Subscribe(&sink_), DdlEventFeed::Subscribed::kYes);
  Publish({Event(1, 10)});
  // A collection whose DDL read failed carries no DDL facts.
  feed_.OnPublished(Snapshot(Collected("t", "d")));
  Publish({Event(2, 20), Event(1, 10)});
  EXPECT_EQ(sink_.ids, (std::vector<std::int64_t>{2}));
}

TEST_F(DdlEventFeedTest, LimitsSinksAndClosesThem) {
  RecordingSink others[4];
  for (RecordingSink& sink : others) ASSERT_EQ(feed_.Subscribe(&sink), DdlEventFeed::Subscribed::kYes);
  EXPECT_EQ(feed_.Subscribe(&sink_), DdlEventFeed::Subscribed::kFull);
  feed_.Unsubscribe(&others[0]);
  EXPECT_EQ(feed_.Subscribe(&sink_), DdlEventFeed::Subscribed::kYes);
  feed_.Close();
  EXPECT_TRUE(sink_.closed);
  EXPECT_FALSE(others[0].closed);
  EXPECT_TRUE(others[1].closed);
  RecordingSink late;
  EXPECT_EQ(feed_.Subscribe(&late), DdlEventFeed::Subscribed::kClosed);
}

}  // namespace
}  // namespace pgposture
