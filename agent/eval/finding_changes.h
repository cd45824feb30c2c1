// What changed in a database's findings from one snapshot to the next.
#pragma once

#include <string>
#include <vector>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// One line per check whose status changed, e.g.
/// "pgaudit.loaded: pass -> fail (pgaudit is not in shared_preload_libraries)".
/// Checks new in `after` count as changed from "none".
std::vector<std::string> FindingChanges(const v1::DatabasePosture& before, const v1::DatabasePosture& after);

}  // namespace pgposture
