// Backup checks: WAL archiving gives point-in-time recovery.
#include <google/protobuf/util/time_util.h>

#include <string>

#include "agent/config/duration.h"
#include "agent/eval/checks_area.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

std::string Age(const google::protobuf::Duration& age) {
  return FormatDuration(std::chrono::seconds(TimeUtil::DurationToSeconds(age)));
}

// What keeps archiving that is on from counting as PITR.
std::string WhyNotPitr(const v1::BackupFacts& backup) {
  if (backup.archiver_failing()) {
    return "the archiver is failing: its last failure (" + backup.last_failed_wal() + " at " +
           TimeUtil::ToString(backup.last_failed_at()) + ") is newer than its last success; " +
           std::to_string(backup.failed_count()) + " failures since the statistics were reset";
  }
  if (backup.archive_tool() == v1::ARCHIVE_TOOL_NONE) {
    return "archive_mode is on but no archive_command or archive_library is set: WAL is kept, not archived";
  }
  if (!backup.has_last_archived_at())
    return "no WAL segment has been archived since the statistics were reset";
  std::string detail = "the last WAL segment (" + backup.last_archived_wal() + ") was archived " +
                       Age(backup.archive_age()) + " ago, longer than policy.backup.max_archive_age";
  if (backup.has_ready_count()) detail += "; " + std::to_string(backup.ready_count()) + " segment(s) wait";
  return detail;
}

CheckOutcome ArchivingGivesPitr(const v1::DatabasePosture& p) {
  const v1::BackupFacts& backup = p.backup();
  switch (backup.mode()) {
    case v1::BACKUP_MODE_PITR:
      return Pass();
    case v1::BACKUP_MODE_NONE:
      return Fail(backup.archive_mode() == "off" ? "WAL is not archived: archive_mode is off"
                                                 : "WAL cannot be archived: wal_level is minimal");
    case v1::BACKUP_MODE_ARCHIVING:
      return Fail(WhyNotPitr(backup));
    default:
      return Unknown("backup facts were not collected");
  }
}

}  // namespace

void AddBackupChecks(std::vector<Check>& checks) {
  checks.push_back(
      {"backup.pitr", "WAL archiving is on and healthy (point-in-time recovery)", v1::SEVERITY_CRITICAL,
       v1::MATURITY_LEVEL_PRODUCTION,
       "set wal_level = replica, archive_mode = on and an archive_command that succeeds (pgbackrest "
       "archive-push, wal-g wal-push, barman-wal-archive), take base backups with the same tool, and fix "
       "what "
       "the server log says makes the archiver fail; on a quiet database set archive_timeout to at most "
       "policy.backup.max_archive_age",
       ArchivingGivesPitr});
}

}  // namespace pgposture
