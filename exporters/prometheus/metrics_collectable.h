// Metric families rendered from snapshots at scrape time.
#pragma once

#include <prometheus/collectable.h>

#include <string>
#include <vector>

#include "exporters/prometheus/family_pieces.h"
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
  /// AgentFamilies and SnapshotFamilyPieces of the latest snapshots, joined
  /// into whole families and sorted by name.
  std::vector<prometheus::MetricFamily> Collect() const override;

  /// The agent's own families (build_info, process_*): they change between
  /// scrapes whatever the snapshots.
  std::vector<prometheus::MetricFamily> AgentFamilies() const;
  /// Every family read from `snapshots`, given to `sink` in pieces: one fact
  /// area after another, and within an area one database (or target) after
  /// another, in the snapshots' order. No family has pieces in two areas. A
  /// scrape of 1,000 databases has tens of megabytes of families; built a
  /// piece at a time, they need not all be held at once. The same snapshots
  /// always give the same pieces (no value depends on the time of the
  /// scrape).
  static void SnapshotFamilyPieces(const std::vector<DatabaseSnapshot>& snapshots, FamilyPieceSink& sink);

 private:
  const SnapshotSource& source_;
  BuildInfo build_;
};

}  // namespace pgposture
