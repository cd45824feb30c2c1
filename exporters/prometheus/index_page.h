// The `/` page: links to the endpoints and the agent's health at a glance.
#pragma once

#include <string>
#include <vector>

#include "exporters/prometheus/metrics_collectable.h"
#include "exporters/snapshot_source.h"

namespace pgposture {

/// An HTML page naming the build, whether the first cycle has finished, and
/// each database's state (up or failing with its error class, maturity
/// against the required level). Every value from a snapshot is escaped.
std::string IndexPage(const std::vector<DatabaseSnapshot>& snapshots, bool ready, const BuildInfo& build);

}  // namespace pgposture
