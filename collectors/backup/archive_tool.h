// Which archiving tool archive_command or archive_library names.
#pragma once

#include <string>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// The tool `archive_library` names, else the one `archive_command` runs:
/// pgbackrest, wal-g, barman (barman-wal-archive, barman-cloud-wal-archive),
/// a plain copy (cp, rsync, `test ! -f ... && cp ...`, basic_archive), none
/// (empty or "(disabled)") or other. Only the tool leaves this function:
/// the command may hold credentials.
v1::ArchiveTool RecognizeArchiveTool(const std::string& archive_command, const std::string& archive_library);

}  // namespace pgposture
