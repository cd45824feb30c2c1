#include "collectors/backup/backup_collector.h"

#include <google/protobuf/util/time_util.h>

#include "collectors/backup/archive_tool.h"
#include "collectors/backup/backup_mode.h"
#include "collectors/guarded_call.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

// Times are epoch microseconds, durations microseconds, both by the server's
// clock. pg_ls_archive_statusdir() needs pg_monitor: without it, the guarded
// form gives a NULL (unknown) ready count instead of a failed statement, and
// its `ready` row says in column c whether the function was callable; once
// it was, the direct form calls it without query_to_xml's parsing and
// planning (GuardedCallReader). A standby has no current WAL position: slots there are measured from the
// replayed position.
std::string BuildQuery(CallForm form) {
  constexpr const char* kCountReady =
      "SELECT pg_catalog.count(*) AS n FROM pg_catalog.pg_ls_archive_statusdir() f WHERE f.name LIKE "
      "'%.ready'";
  const std::string ready =
      form == CallForm::kDirect
          ? std::string("SELECT 'ready', (") + kCountReady + ")::text, NULL, 'true'"
          : std::string(
                "SELECT 'ready', CASE WHEN p.callable THEN (pg_catalog.xpath('/row/n/text()', "
                "pg_catalog.query_to_xml($ready$") +
                kCountReady +
                "$ready$, false, true, '')))[1]::text END, NULL, p.callable::text\n"
                "  FROM (SELECT pg_catalog.has_function_privilege('pg_catalog.pg_ls_archive_statusdir()', "
                "'EXECUTE') AS callable) p";
  return R"SQL(
SELECT 'setting' AS kind, n.name AS a, pg_catalog.current_setting(n.name, true) AS b, NULL::text AS c
  FROM pg_catalog.unnest(ARRAY['wal_level', 'archive_mode', 'archive_command', 'archive_library']) AS n(name)
UNION ALL
SELECT 'archive_timeout',
       (pg_catalog.extract('epoch', pg_catalog.current_setting('archive_timeout')::interval)
        * 1000000)::bigint::text, NULL, NULL
UNION ALL
SELECT 'archived', s.archived_count::text, s.last_archived_wal,
       (pg_catalog.extract('epoch', s.last_archived_time) * 1000000)::bigint::text
  FROM pg_catalog.pg_stat_archiver s
UNION ALL
SELECT 'failed', s.failed_count::text, s.last_failed_wal,
       (pg_catalog.extract('epoch', s.last_failed_time) * 1000000)::bigint::text
  FROM pg_catalog.pg_stat_archiver s
UNION ALL
SELECT 'archive_age',
       (pg_catalog.extract('epoch', pg_catalog.now() - s.last_archived_time) * 1000000)::bigint::text,
       NULL, NULL
  FROM pg_catalog.pg_stat_archiver s
UNION ALL
)SQL" + ready +
         R"SQL(
UNION ALL
SELECT CASE WHEN s.active THEN 'active_slot' ELSE 'inactive_slot' END, s.slot_name::text, s.slot_type,
       pg_catalog.pg_wal_lsn_diff(
         CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_replay_lsn()
              ELSE pg_catalog.pg_current_wal_lsn() END,
         s.restart_lsn)::bigint::text
  FROM pg_catalog.pg_replication_slots s
)SQL";
}

void SetSetting(const std::string& name, const std::string& value, v1::BackupFacts& facts,
                std::string& archive_command, std::string& archive_library) {
  if (name == "wal_level") facts.set_wal_level(value);
  if (name == "archive_mode") facts.set_archive_mode(value);
  if (name == "archive_command") archive_command = value;
  if (name == "archive_library") archive_library = value;
}

void AddSlot(const TaggedRow& row, v1::BackupFacts& facts) {
  v1::ReplicationSlot& slot = *facts.add_replication_slots();
  slot.set_name(row.a.value_or(""));
  slot.set_slot_type(row.b.value_or(""));
  slot.set_active(row.kind == "active_slot");
  // A slot that never reserved WAL (no restart_lsn) holds none.
  slot.set_retained_wal_bytes(Int64Column(row.c).value_or(0));
}

}  // namespace

void ParseBackupRows(const TaggedRows& rows, std::chrono::milliseconds max_archive_age,
                     v1::BackupFacts& facts) {
  std::string archive_command;
  std::string archive_library;
  bool settings_read = false;
  for (const TaggedRow& row : rows) {
    if (row.kind == "setting" && row.a && row.b) {
      SetSetting(*row.a, *row.b, facts, archive_command, archive_library);
      settings_read = true;
    } else if (row.kind == "archive_timeout") {
      if (auto micros = Int64Column(row.a))
        *facts.mutable_archive_timeout() = TimeUtil::MicrosecondsToDuration(*micros);
    } else if (row.kind == "archived") {
      if (auto count = Int64Column(row.a)) facts.set_archived_count(*count);
      facts.set_last_archived_wal(row.b.value_or(""));
      if (auto at = EpochMicrosColumn(row.c)) *facts.mutable_last_archived_at() = *at;
    } else if (row.kind == "failed") {
      if (auto count = Int64Column(row.a)) facts.set_failed_count(*count);
      facts.set_last_failed_wal(row.b.value_or(""));
      if (auto at = EpochMicrosColumn(row.c)) *facts.mutable_last_failed_at() = *at;
    } else if (row.kind == "archive_age") {
      if (auto micros = Int64Column(row.a))
        *facts.mutable_archive_age() = TimeUtil::MicrosecondsToDuration(*micros);
    } else if (row.kind == "ready") {
      if (auto count = Int64Column(row.a)) facts.set_ready_count(*count);
    } else if (row.kind == "active_slot" || row.kind == "inactive_slot") {
      AddSlot(row, facts);
    }
  }
  if (settings_read) facts.set_archive_tool(RecognizeArchiveTool(archive_command, archive_library));
  if (facts.has_archived_count()) {
    // A failure with no success since.
    facts.set_archiver_failing(
        facts.has_last_failed_at() &&
        (!facts.has_last_archived_at() || facts.last_archived_at() < facts.last_failed_at()));
  }
  facts.set_mode(DeriveBackupMode(facts, max_archive_age));
}

BackupCollector::BackupCollector(const CollectorOptions& options)
    : max_archive_age_(options.max_archive_age), ready_(BuiltOnce<BuildQuery>, "ready") {}

TaggedQuery BackupCollector::FirstQuery() const { return ready_.statement(); }

void BackupCollector::Collect(Session& session, v1::DatabasePosture& posture) {
  ParseBackupRows(ready_.Read(session), max_archive_age_, *posture.mutable_backup());
}

}  // namespace pgposture
