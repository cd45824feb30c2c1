// The /metrics body sends the snapshot families as of the end of the last
// cycle: every publish, addition or removal shows after the next one.
#include "exporters/prometheus/scrape_body.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "tests/unit/exporters/prometheus/posture_fixtures.h"

namespace pgposture::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ScrapeBodyTest : public ::testing::Test {
 protected:
  std::string Render() const {
    const ScrapeText text = body_.Render();
    return text.agent + *text.snapshots;
  }

  // What the daemon does at the end of a collection cycle, then a scrape.
  std::string RenderAfterCycle() const {
    body_.Refresh();
    return Render();
  }

  FakeSnapshotSource source_;
  const PostureMetrics metrics_{source_, BuildInfo{"1.2.3", "abc123"}};
  const ScrapeBody body_{source_, metrics_};
};

TEST_F(ScrapeBodyTest, HoldsTheAgentFamiliesAndEverySnapshotFamily) {
  source_.snapshots = FullSnapshots(3);
  const std::string body = RenderAfterCycle();
  EXPECT_THAT(body, HasSubstr("pgposture_build_info{version=\"1.2.3\",revision=\"abc123\"} 1"));
  EXPECT_THAT(body, HasSubstr("# TYPE process_resident_memory_bytes gauge"));
  // Every family as PostureMetrics renders it, whole; process_* change
  // between two readings.
  for (const prometheus::MetricFamily& family : metrics_.Collect()) {
    if (family.name.rfind("process_", 0) == 0) continue;
    EXPECT_THAT(body, HasSubstr(prometheus::TextSerializer().Serialize({family})));
  }
}

TEST_F(ScrapeBodyTest, BeforeTheFirstCycleOnlyTheAgentsFamilies) {
  source_.snapshots = {Snapshot(DatabasePart("prod-1", "app"))};
  const std::string body = Render();
  EXPECT_THAT(body, HasSubstr("pgposture_build_info{version=\"1.2.3\",revision=\"abc123\"} 1"));
  EXPECT_THAT(body, Not(HasSubstr("pgposture_up"))) << "a cycle published it, but has not finished";
}

// Scrapes in the middle of a cycle send the last cycle's text, whole: they
// neither serialize it again nor show part of the new cycle.
TEST_F(ScrapeBodyTest, APublishedSnapshotShowsAfterTheCycle) {
  source_.snapshots = {Snapshot(DatabasePart("prod-1", "app"))};
  EXPECT_THAT(RenderAfterCycle(),
              HasSubstr("pgposture_up{target=\"prod-1\",environment=\"prod\",database=\"app\"} 1"));

  v1::DatabasePosture failed = DatabasePart("prod-1", "app");
  failed.mutable_collection()->set_stale(true);
  source_.snapshots = {Snapshot(failed)};
  EXPECT_THAT(Render(), HasSubstr("pgposture_up{target=\"prod-1\",environment=\"prod\",database=\"app\"} 1"));
  EXPECT_THAT(RenderAfterCycle(),
              HasSubstr("pgposture_up{target=\"prod-1\",environment=\"prod\",database=\"app\"} 0"));
}

TEST_F(ScrapeBodyTest, AddedAndRemovedDatabasesShowAfterTheCycle) {
  source_.snapshots = {Snapshot(DatabasePart("prod-1", "app"))};
  ASSERT_THAT(RenderAfterCycle(), HasSubstr("database=\"app\""));

  source_.snapshots.push_back(Snapshot(DatabasePart("prod-1", "billing")));
  EXPECT_THAT(RenderAfterCycle(), HasSubstr("database=\"billing\""));

  source_.snapshots.erase(source_.snapshots.begin());
  const std::string body = RenderAfterCycle();
  EXPECT_THAT(body, Not(HasSubstr("database=\"app\"")));
  EXPECT_THAT(body, HasSubstr("database=\"billing\""));
}

TEST_F(ScrapeBodyTest, ANewClusterPartShowsAfterTheCycle) {
  v1::DatabasePosture cluster = FullClusterPart();
  cluster.mutable_network()->set_ssl(false);
  const DatabaseSnapshot before = Snapshot(cluster, DatabasePart("prod-1", "app"));
  source_.snapshots = {before};
  ASSERT_THAT(RenderAfterCycle(),
              HasSubstr("pgposture_ssl_enabled{target=\"prod-1\",environment=\"prod\"} 0"));

  cluster.mutable_network()->set_ssl(true);
  // The same database part with a newly read cluster part.
  source_.snapshots = {
      DatabaseSnapshot{std::make_shared<const v1::DatabasePosture>(cluster), before.database}};
  EXPECT_THAT(RenderAfterCycle(),
              HasSubstr("pgposture_ssl_enabled{target=\"prod-1\",environment=\"prod\"} 1"));
}

}  // namespace
}  // namespace pgposture::testing
