// Backup: WAL archiving, the archiver's health, slots retaining WAL, the last
// base backup. Cluster-scoped.
#include "exporters/prometheus/families.h"

namespace pgposture {
namespace {

using prometheus::MetricType;

constexpr FamilySpec kMode{
    "pgposture_backup_mode", MetricType::Gauge,
    "1 for the cluster's backup mode, 0 for the others: none (WAL not archived), archiving (on but not "
    "healthy or not fresh), pitr (archiving on and healthy)."};
constexpr FamilySpec kInfo{"pgposture_backup_info", MetricType::Gauge,
                           "wal_level, archive_mode and the archiving tool as labels; always 1."};
constexpr FamilySpec kArchived{"pgposture_archiver_archived_segments_total", MetricType::Counter,
                               "WAL segments archived successfully (pg_stat_archiver.archived_count)."};
constexpr FamilySpec kFailed{"pgposture_archiver_failed_attempts_total", MetricType::Counter,
                             "Failed attempts to archive a WAL segment (pg_stat_archiver.failed_count)."};
constexpr FamilySpec kLastArchived{"pgposture_archiver_last_archived_timestamp_seconds", MetricType::Gauge,
                                   "Unix time the last WAL segment was archived."};
constexpr FamilySpec kArchiveAge{
    "pgposture_archiver_last_archive_age_seconds", MetricType::Gauge,
    "Server time of the latest collection minus the time the last WAL segment was archived."};
constexpr FamilySpec kArchiveTimeout{"pgposture_archive_timeout_seconds", MetricType::Gauge,
                                     "The server's archive_timeout; 0 when off."};
constexpr FamilySpec kLastFailed{"pgposture_archiver_last_failed_timestamp_seconds", MetricType::Gauge,
                                 "Unix time of the last failed archiving attempt."};
constexpr FamilySpec kFailing{
    "pgposture_archiver_failing", MetricType::Gauge,
    "1 when the last archiving attempt failed (last failure newer than last success)."};
constexpr FamilySpec kReady{"pgposture_archiver_ready_segments", MetricType::Gauge,
                            "WAL segments waiting to be archived (.ready files in archive_status)."};
constexpr FamilySpec kSlotRetained{"pgposture_replication_slot_retained_wal_bytes", MetricType::Gauge,
                                   "WAL held back by the replication slot."};
constexpr FamilySpec kSlotActive{"pgposture_replication_slot_active", MetricType::Gauge,
                                 "1 when a client is streaming from the replication slot, 0 when not."};
constexpr FamilySpec kBaseBackup{"pgposture_base_backup_last_finished_timestamp_seconds", MetricType::Gauge,
                                 "Unix time the last base backup finished, as the backup tool reports it."};

void AddMode(v1::BackupMode mode, const Labels& labels, Families& out) {
  if (mode == v1::BACKUP_MODE_UNSPECIFIED) return;
  // A state set: every mode has a series, so a change flips values instead
  // of making one series vanish.
  for (v1::BackupMode each : {v1::BACKUP_MODE_NONE, v1::BACKUP_MODE_ARCHIVING, v1::BACKUP_MODE_PITR}) {
    out.Add(kMode, labels, {{"mode", EnumLabel(each)}}, Flag(each == mode));
  }
}

}  // namespace

void AddBackupFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out) {
  const v1::BackupFacts& backup = facts.backup();
  AddMode(backup.mode(), labels, out);
  if (!backup.wal_level().empty()) {
    out.Add(kInfo, labels,
            {{"wal_level", backup.wal_level()},
             {"archive_mode", backup.archive_mode()},
             {"archive_tool", EnumLabel(backup.archive_tool())}},
            1);
  }
  if (backup.has_archived_count()) out.Add(kArchived, labels, static_cast<double>(backup.archived_count()));
  if (backup.has_failed_count()) out.Add(kFailed, labels, static_cast<double>(backup.failed_count()));
  if (backup.has_last_archived_at()) out.Add(kLastArchived, labels, UnixSeconds(backup.last_archived_at()));
  if (backup.has_archive_age()) out.Add(kArchiveAge, labels, Seconds(backup.archive_age()));
  if (backup.has_archive_timeout()) out.Add(kArchiveTimeout, labels, Seconds(backup.archive_timeout()));
  if (backup.has_last_failed_at()) out.Add(kLastFailed, labels, UnixSeconds(backup.last_failed_at()));
  if (backup.has_archiver_failing()) out.Add(kFailing, labels, Flag(backup.archiver_failing()));
  if (backup.has_ready_count()) out.Add(kReady, labels, static_cast<double>(backup.ready_count()));
  for (const v1::ReplicationSlot& slot : backup.replication_slots()) {
    const std::initializer_list<ExtraLabel> slot_labels = {{"slot", slot.name()},
                                                           {"slot_type", slot.slot_type()}};
    out.Add(kSlotRetained, labels, slot_labels, static_cast<double>(slot.retained_wal_bytes()));
    out.Add(kSlotActive, labels, slot_labels, Flag(slot.active()));
  }
  if (backup.has_last_base_backup() && backup.last_base_backup().has_finished_at()) {
    out.Add(kBaseBackup, labels, {{"tool", backup.last_base_backup().tool()}},
            UnixSeconds(backup.last_base_backup().finished_at()));
  }
}

}  // namespace pgposture
