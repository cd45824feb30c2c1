#include "collectors/backup/backup_mode.h"

#include <google/protobuf/util/time_util.h>

namespace pgposture {

v1::BackupMode DeriveBackupMode(const v1::BackupFacts& facts, std::chrono::milliseconds max_archive_age) {
  using google::protobuf::util::TimeUtil;
  if (facts.wal_level().empty() || facts.archive_mode().empty()) return v1::BACKUP_MODE_UNSPECIFIED;
  if (facts.wal_level() == "minimal" || facts.archive_mode() == "off") return v1::BACKUP_MODE_NONE;
  if (!facts.has_archiver_failing()) return v1::BACKUP_MODE_UNSPECIFIED;
  // With archive_mode on and no command, PostgreSQL keeps every segment and
  // archives none.
  if (facts.archiver_failing() || facts.archive_tool() == v1::ARCHIVE_TOOL_NONE ||
      !facts.has_last_archived_at() || !facts.has_archive_age()) {
    return v1::BACKUP_MODE_ARCHIVING;
  }
  const int64_t bound = max_archive_age.count();
  if (TimeUtil::DurationToMilliseconds(facts.archive_age()) <= bound) return v1::BACKUP_MODE_PITR;
  // A server that writes nothing completes no segment, so its last archived
  // segment ages without anything being at risk. archive_timeout switches
  // segments after a write, so it bounds how long a write stays unarchived.
  const int64_t timeout = TimeUtil::DurationToMilliseconds(facts.archive_timeout());
  const bool quiet = facts.has_ready_count() && facts.ready_count() == 0;
  return quiet && timeout > 0 && timeout <= bound ? v1::BACKUP_MODE_PITR : v1::BACKUP_MODE_ARCHIVING;
}

}  // namespace pgposture
