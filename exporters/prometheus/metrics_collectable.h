// Metric families rendered from snapshots at scrape time.
#pragma once

#include <prometheus/collectable.h>

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
  /// AgentFamilies and SnapshotFamilies of the latest snapshots, sorted by name.
  std::vector<prometheus::MetricFamily> Collect() const override;

  /// The agent's own families (build_info, process_*): they change between
  /// scrapes whatever the snapshots.
  std::vector<prometheus::MetricFamily> AgentFamilies() const;
  /// Every family read from `snapshots`: the same snapshots always give the
  /// same families (no value depends on the time of the scrape).
  static std::vector<prometheus::MetricFamily> SnapshotFamilies(
      const std::vector<DatabaseSnapshot>& snapshots);

 private:
  const SnapshotSource& source_;
  BuildInfo build_;
};

}  // namespace pgposture
