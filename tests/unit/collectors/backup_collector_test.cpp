#include "collectors/backup/backup_collector.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "collectors/backup/backup_mode.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;
using std::chrono::hours;
using std::chrono::minutes;

constexpr int64_t kMicros = 1000000;
// 2024-01-01T00:00:00Z
constexpr int64_t kBase = 1704067200LL * kMicros;

std::optional<std::string> Text(int64_t value) { return std::to_string(value); }

TaggedRows ArchivingRows(const std::string& command) {
  return {
      {"setting", "wal_level", "replica", std::nullopt},     {"setting", "archive_mode", "on", std::nullopt},
      {"setting", "archive_command", command, std::nullopt}, {"setting", "archive_library", "", std::nullopt},
      {"archive_timeout", "0", std::nullopt, std::nullopt},
  };
}

v1::BackupFacts Parsed(const TaggedRows& rows, std::chrono::milliseconds bound = hours(1)) {
  v1::BackupFacts facts;
  ParseBackupRows(rows, bound, facts);
  return facts;
}

TEST(BackupRowsTest, HealthyRecentArchivingIsPitr) {
  TaggedRows rows = ArchivingRows("test ! -f /a/%f && cp %p /a/%f");
  rows.push_back({"archived", "42", "00000001000000000000002A", Text(kBase)});
  rows.push_back({"failed", "1", "000000010000000000000003", Text(kBase - 3600 * kMicros)});
  rows.push_back({"archive_age", Text(90 * kMicros), std::nullopt, std::nullopt});
  rows.push_back({"ready", "0", std::nullopt, std::nullopt});
  rows.push_back({"inactive_slot", "old_replica", "physical", Text(5LL << 30)});
  rows.push_back({"active_slot", "standby", "physical", "0"});
  rows.push_back({"inactive_slot", "never_used", "logical", std::nullopt});
  const v1::BackupFacts facts = Parsed(rows);

  EXPECT_EQ(facts.wal_level(), "replica");
  EXPECT_EQ(facts.archive_mode(), "on");
  EXPECT_EQ(facts.archive_tool(), v1::ARCHIVE_TOOL_COPY);
  EXPECT_EQ(facts.archived_count(), 42);
  EXPECT_EQ(facts.last_archived_wal(), "00000001000000000000002A");
  EXPECT_EQ(TimeUtil::ToString(facts.last_archived_at()), "2024-01-01T00:00:00Z");
  EXPECT_EQ(facts.failed_count(), 1);
  EXPECT_FALSE(facts.archiver_failing()) << "the failure is older than the last success";
  EXPECT_EQ(TimeUtil::DurationToSeconds(facts.archive_age()), 90);
  EXPECT_EQ(facts.ready_count(), 0);
  EXPECT_EQ(facts.mode(), v1::BACKUP_MODE_PITR);
  ASSERT_EQ(facts.replication_slots_size(), 3);
  EXPECT_EQ(facts.replication_slots(0).name(), "old_replica");
  EXPECT_FALSE(facts.replication_slots(0).active());
  EXPECT_EQ(facts.replication_slots(0).retained_wal_bytes(), 5LL << 30);
  EXPECT_TRUE(facts.replication_slots(1).active());
  EXPECT_EQ(facts.replication_slots(2).slot_type(), "logical");
  EXPECT_EQ(facts.replication_slots(2).retained_wal_bytes(), 0);
}

TEST(BackupRowsTest, FailureNewerThanSuccessIsFailing) {
  TaggedRows rows = ArchivingRows("pgbackrest --stanza=main archive-push %p");
  rows.push_back({"archived", "7", "000000010000000000000007", Text(kBase)});
  rows.push_back({"failed", "3", "000000010000000000000008", Text(kBase + 10 * kMicros)});
  rows.push_back({"archive_age", Text(60 * kMicros), std::nullopt, std::nullopt});
  rows.push_back({"ready", "1", std::nullopt, std::nullopt});
  const v1::BackupFacts facts = Parsed(rows);
  EXPECT_EQ(facts.archive_tool(), v1::ARCHIVE_TOOL_PGBACKREST);
  EXPECT_TRUE(facts.archiver_failing());
  EXPECT_EQ(facts.last_failed_wal(), "000000010000000000000008");
  EXPECT_EQ(facts.mode(), v1::BACKUP_MODE_ARCHIVING) << "recent success does not hide a failing archiver";
}

TEST(BackupRowsTest, NeverArchivedButFailedIsFailing) {
  TaggedRows rows = ArchivingRows("false");
  rows.push_back({"archived", "0", std::nullopt, std::nullopt});
  rows.push_back({"failed", "3", "000000010000000000000001", Text(kBase)});
  rows.push_back({"archive_age", std::nullopt, std::nullopt, std::nullopt});
  const v1::BackupFacts facts = Parsed(rows);
  EXPECT_TRUE(facts.archiver_failing());
  EXPECT_FALSE(facts.has_last_archived_at());
  EXPECT_FALSE(facts.has_ready_count()) << "NULL: the agent may not list archive_status";
  EXPECT_EQ(facts.archive_tool(), v1::ARCHIVE_TOOL_OTHER);
  EXPECT_EQ(facts.mode(), v1::BACKUP_MODE_ARCHIVING);
}

TEST(BackupRowsTest, ArchiveModeOffIsNone) {
  const TaggedRows rows = {
      {"setting", "wal_level", "replica", std::nullopt},
      {"setting", "archive_mode", "off", std::nullopt},
      {"setting", "archive_command", "(disabled)", std::nullopt},
      {"setting", "archive_library", "", std::nullopt},
      {"archived", "0", std::nullopt, std::nullopt},
      {"failed", "0", std::nullopt, std::nullopt},
  };
  const v1::BackupFacts facts = Parsed(rows);
  EXPECT_EQ(facts.archive_tool(), v1::ARCHIVE_TOOL_NONE);
  EXPECT_FALSE(facts.archiver_failing());
  EXPECT_EQ(facts.mode(), v1::BACKUP_MODE_NONE);
}

TEST(BackupRowsTest, NoRowsLeaveEverythingUnknown) {
  const v1::BackupFacts facts = Parsed({});
  EXPECT_EQ(facts.mode(), v1::BACKUP_MODE_UNSPECIFIED);
  EXPECT_EQ(facts.archive_tool(), v1::ARCHIVE_TOOL_UNSPECIFIED);
  EXPECT_FALSE(facts.has_archiver_failing());
  EXPECT_FALSE(facts.has_archived_count());
}

// Facts of a healthy archiver whose last segment is `age` old.
v1::BackupFacts ArchivedAgo(std::chrono::seconds age) {
  v1::BackupFacts facts;
  facts.set_wal_level("replica");
  facts.set_archive_mode("on");
  facts.set_archive_tool(v1::ARCHIVE_TOOL_COPY);
  facts.set_archived_count(10);
  facts.set_archiver_failing(false);
  *facts.mutable_last_archived_at() = TimeUtil::SecondsToTimestamp(1704067200);
  *facts.mutable_archive_age() = TimeUtil::SecondsToDuration(age.count());
  return facts;
}

TEST(BackupModeTest, FreshnessBoundDecides) {
  EXPECT_EQ(DeriveBackupMode(ArchivedAgo(minutes(59)), hours(1)), v1::BACKUP_MODE_PITR);
  EXPECT_EQ(DeriveBackupMode(ArchivedAgo(minutes(60)), hours(1)), v1::BACKUP_MODE_PITR);
  EXPECT_EQ(DeriveBackupMode(ArchivedAgo(minutes(61)), hours(1)), v1::BACKUP_MODE_ARCHIVING);
  EXPECT_EQ(DeriveBackupMode(ArchivedAgo(minutes(61)), hours(2)), v1::BACKUP_MODE_PITR);
}

TEST(BackupModeTest, QuietServerWithArchiveTimeoutIsPitr) {
  v1::BackupFacts quiet = ArchivedAgo(hours(5));
  quiet.set_ready_count(0);
  EXPECT_EQ(DeriveBackupMode(quiet, hours(1)), v1::BACKUP_MODE_ARCHIVING) << "no archive_timeout: unbounded";
  *quiet.mutable_archive_timeout() = TimeUtil::SecondsToDuration(300);
  EXPECT_EQ(DeriveBackupMode(quiet, hours(1)), v1::BACKUP_MODE_PITR);
  *quiet.mutable_archive_timeout() = TimeUtil::SecondsToDuration(7200);
  EXPECT_EQ(DeriveBackupMode(quiet, hours(1)), v1::BACKUP_MODE_ARCHIVING)
      << "archive_timeout above the bound";

  v1::BackupFacts waiting = quiet;
  *waiting.mutable_archive_timeout() = TimeUtil::SecondsToDuration(300);
  waiting.set_ready_count(2);
  EXPECT_EQ(DeriveBackupMode(waiting, hours(1)), v1::BACKUP_MODE_ARCHIVING) << "segments wait: not quiet";
  waiting.clear_ready_count();
  EXPECT_EQ(DeriveBackupMode(waiting, hours(1)), v1::BACKUP_MODE_ARCHIVING) << "backlog unknown";
}

TEST(BackupModeTest, NoneWhenWalCannotBeArchived) {
  v1::BackupFacts minimal = ArchivedAgo(minutes(1));
  minimal.set_wal_level("minimal");
  EXPECT_EQ(DeriveBackupMode(minimal, hours(1)), v1::BACKUP_MODE_NONE);
  v1::BackupFacts off = ArchivedAgo(minutes(1));
  off.set_archive_mode("off");
  EXPECT_EQ(DeriveBackupMode(off, hours(1)), v1::BACKUP_MODE_NONE);
}

TEST(BackupModeTest, OnWithoutCommandArchivesNothing) {
  v1::BackupFacts facts = ArchivedAgo(minutes(1));
  facts.set_archive_tool(v1::ARCHIVE_TOOL_NONE);
  EXPECT_EQ(DeriveBackupMode(facts, hours(1)), v1::BACKUP_MODE_ARCHIVING);
  facts.set_archive_mode("always");
  EXPECT_EQ(DeriveBackupMode(facts, hours(1)), v1::BACKUP_MODE_ARCHIVING);
}

}  // namespace
}  // namespace pgposture
