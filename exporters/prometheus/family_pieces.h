// What receives metric families rendered in pieces.
#pragma once

#include <prometheus/metric_family.h>

#include <cstddef>
#include <vector>

namespace pgposture {

/// Receives the families of a scrape one piece at a time, one fact area
/// after another (see PostureMetrics::SnapshotFamilyPieces).
class FamilyPieceSink {
 public:
  virtual ~FamilyPieceSink() = default;
  /// The families one database (one target, for a cluster-scoped area) has
  /// in the current area, sorted by name. `pieces_left` pieces, this one
  /// included, remain in the area: enough to size what holds them.
  virtual void Piece(std::vector<prometheus::MetricFamily> families, std::size_t pieces_left) = 0;
  /// The current area's last piece was given: no later piece has a family
  /// of that area.
  virtual void AreaEnd() = 0;
};

}  // namespace pgposture
