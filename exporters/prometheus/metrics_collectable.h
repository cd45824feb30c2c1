// Metric families rendered from snapshots at scrape time.
#pragma once

#include <prometheus/collectable.h>

#include <functional>
#include <string>
#include <vector>

#include "exporters/snapshot_source.h"

namespace pgposture {

struct BuildInfo {
  std::string version;
  std::string revision;
};

/// A prometheus::Collectable that renders every family from the latest
/// snapshots when scraped: nothing is kept in a registry, so nothing can
/// disagree with the snapshots, and a scrape never waits on a database.
/// Cluster-scoped facts appear once per target, without a `database` label.
class PostureMetrics : public prometheus::Collectable {
 public:
  PostureMetrics(const SnapshotSource& source, BuildInfo build);
  /// AgentFamilies and SnapshotFamiliesByArea of the latest snapshots, sorted
  /// by name.
  std::vector<prometheus::MetricFamily> Collect() const override;

  /// The agent's own families (build_info, process_*): they change between
  /// scrapes whatever the snapshots.
  std::vector<prometheus::MetricFamily> AgentFamilies() const;
  /// Every family read from `snapshots`, one fact area at a time: `each` is
  /// given an area's families, sorted by name, and no family is in two
  /// areas. A scrape of 1,000 databases holds tens of megabytes of families;
  /// built area by area, only the largest area's are held at once. The same
  /// snapshots always give the same families (no value depends on the time
  /// of the scrape).
  static void SnapshotFamiliesByArea(const std::vector<DatabaseSnapshot>& snapshots,
                                     const std::function<void(std::vector<prometheus::MetricFamily>)>& each);

 private:
  const SnapshotSource& source_;
  BuildInfo build_;
};

}  // namespace pgposture
