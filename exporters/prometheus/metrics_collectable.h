// Metric families rendered from snapshots at scrape time.
#pragma once

#include <prometheus/collectable.h>

#include <string>

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
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const SnapshotSource& source_;
  BuildInfo build_;
};

}  // namespace pgposture
