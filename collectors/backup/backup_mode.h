// Whether WAL archiving gives point-in-time recovery.
#pragma once

#include <chrono>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// The backup mode the other facts amount to:
/// - none: archive_mode off or wal_level minimal: WAL is not archived;
/// - pitr: archiving on, an archive command or library set, the archiver not
///   failing (its last failure older than its last success), and a written
///   record reaches the archive within `max_archive_age`: the last segment
///   was archived within it, or, on a quiet server that fills no segment,
///   archive_timeout (on, at most `max_archive_age`) bounds the wait and no
///   completed segment waits (.ready backlog 0);
/// - archiving: on, but not all of that;
/// - unspecified: the settings or the archiver's statistics were not read.
v1::BackupMode DeriveBackupMode(const v1::BackupFacts& facts, std::chrono::milliseconds max_archive_age);

}  // namespace pgposture
