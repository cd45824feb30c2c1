#include "collectors/ddl/ddl_history.h"

#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "collectors/ddl/ddl_collector.h"

namespace pgposture {
namespace {

using namespace std::chrono_literals;

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

TaggedRow EventRow(int id, int xid, const std::string& application_name, bool wrote_history = false,
                   std::int64_t seconds = 1'800'000'000 - 60) {
  const std::string json =
      R"json({"id": )json" + std::to_string(id) + R"json(, "time": ")json" +
      google::protobuf::util::TimeUtil::ToString(
          google::protobuf::util::TimeUtil::SecondsToTimestamp(seconds)) +
      R"json(", "transaction_id": )json" + std::to_string(xid) +
      R"json(, "command_tag": "CREATE TABLE", "object_type": "table", "schema_name": "public",
      "object_identity": "public.t", "session_user": "alice", "current_user": "alice",
      "application_name": ")json" +
      application_name +
      R"json(", "client_addr": null, "backend_pid": 42, "statement": "CREATE TABLE t ()",
      "change_source": null, "in_extension": false, "temporary": false})json";
  return {"event", json, std::to_string(xid), wrote_history ? "true" : "false"};
}

TaggedRows Read(std::uint64_t xmin, TaggedRows events) {
  TaggedRows rows = {{"xmin", std::to_string(xmin), std::nullopt, std::nullopt},
                     {"trigger", "pgposture_ddl_command_end", "A", std::nullopt},
                     {"trigger", "pgposture_sql_drop", "A", std::nullopt},
                     {"failures", "0", std::nullopt, std::nullopt}};
  rows.insert(rows.end(), events.begin(), events.end());
  return rows;
}

v1::DdlFacts Facts(const DdlHistory& history) {
  v1::DdlFacts facts;
  history.Fill(facts);
  return facts;
}

TEST(DdlHistoryTest, ParsesEventsAsTheServerWritesThem) {
  const DdlCaptureRead read =
      ParseDdlCaptureRows(Read(100, {EventRow(2, 90, "psql", true), EventRow(1, 89, "x")}));
  EXPECT_EQ(read.xmin, 100u);
  EXPECT_EQ(read.triggers.size(), 2u);
  ASSERT_EQ(read.events.size(), 2u);
  EXPECT_EQ(read.events[0].id(), 1) << "sorted by id";
  EXPECT_TRUE(read.events[1].wrote_history());
  EXPECT_EQ(read.events[1].backend_pid(), 42);
  EXPECT_EQ(read.events[1].time().seconds(), 1'800'000'000 - 60);
  EXPECT_THROW(ParseDdlCaptureRows({{"event", "{not json", "1", "false"}}), std::runtime_error);
}

TEST(DdlHistoryTest, LateCommitWithSmallerIdIsCountedOnceAndNotLost) {
  const DdlClassifier classifier{CollectorOptions{}};
  DdlHistory history(7 * 24h);
  // Transaction 91 committed with id 6 while 90 (id 5) was still running:
  // xmin stays at 90.
  history.Apply(ParseDdlCaptureRows(Read(90, {EventRow(6, 91, "psql")})), classifier, kNow);
  EXPECT_EQ(Facts(history).events_by_classification().at("out_of_band"), 1);
  EXPECT_EQ(history.since(), 90u);
  // 90 commits; the next read returns both, and only 5 is new.
  history.Apply(ParseDdlCaptureRows(Read(95, {EventRow(5, 90, "psql"), EventRow(6, 91, "psql")})), classifier,
                kNow);
  const v1::DdlFacts facts = Facts(history);
  EXPECT_EQ(facts.events_by_classification().at("out_of_band"), 2);
  EXPECT_EQ(facts.recent_events_size(), 2);
  EXPECT_EQ(facts.recent_events(0).id(), 5) << "newest read first";
  EXPECT_EQ(facts.cursor(), 95);
  // A read repeating final transactions' events adds nothing.
  history.Apply(ParseDdlCaptureRows(Read(95, {})), classifier, kNow);
  EXPECT_EQ(Facts(history).events_by_classification().at("out_of_band"), 2);
}

TEST(DdlHistoryTest, FreshHistoryRebuildsTheSameCounts) {
  const DdlClassifier classifier{CollectorOptions{}};
  const TaggedRows all = Read(200, {EventRow(1, 100, "psql"), EventRow(2, 101, "flyway", true),
                                    EventRow(3, 102, "postgres-meta 0.1", true)});
  DdlHistory before(7 * 24h);
  before.Apply(ParseDdlCaptureRows(all), classifier, kNow);
  DdlHistory after_restart(7 * 24h);
  after_restart.Apply(ParseDdlCaptureRows(all), classifier, kNow);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(Facts(before), Facts(after_restart)));
  const v1::DdlFacts facts = Facts(after_restart);
  EXPECT_EQ(facts.events_by_classification().at("migration"), 1);
  EXPECT_EQ(facts.events_by_classification().at("out_of_band"), 2);
  EXPECT_EQ(facts.last_out_of_band().source(), "dashboard");
  EXPECT_EQ(facts.last_out_of_band().rule(), "dashboard");
  EXPECT_EQ(facts.events_by_command_tag().at("CREATE TABLE"), 3);
}

TEST(DdlHistoryTest, WindowCountsOnlyRecentOutOfBandChanges) {
  const DdlClassifier classifier{CollectorOptions{}};
  DdlHistory history(24h);
  history.Apply(ParseDdlCaptureRows(Read(10, {EventRow(1, 5, "psql", false, 1'800'000'000 - 2 * 86400),
                                              EventRow(2, 6, "psql", false, 1'800'000'000 - 3600)})),
                classifier, kNow);
  const v1::DdlFacts facts = Facts(history);
  EXPECT_EQ(facts.out_of_band_in_window(), 1);
  EXPECT_EQ(facts.events_by_classification().at("out_of_band"), 2);
  EXPECT_EQ(facts.last_out_of_band_at().seconds(), 1'800'000'000 - 3600);
}

TEST(DdlHistoryTest, CaptureHealthFromTriggers) {
  v1::DdlFacts facts;
  DdlCaptureRead read = ParseDdlCaptureRows(Read(1, {}));
  FillCaptureHealth(read, facts);
  EXPECT_TRUE(facts.capture_installed());
  EXPECT_TRUE(facts.capture_enabled());
  read.triggers["pgposture_sql_drop"] = "D";
  FillCaptureHealth(read, facts);
  EXPECT_TRUE(facts.capture_installed());
  EXPECT_FALSE(facts.capture_enabled());
  read.triggers.erase("pgposture_ddl_command_end");
  FillCaptureHealth(read, facts);
  EXPECT_FALSE(facts.capture_installed());
}

}  // namespace
}  // namespace pgposture
