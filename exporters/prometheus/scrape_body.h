// The /metrics response body, with the snapshot part serialized once per
// set of snapshots.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exporters/prometheus/metrics_collectable.h"

namespace pgposture {

/// The body of a scrape in two parts, sent one after the other: the agent's
/// families, then the snapshot families, whose text every scrape shares
/// until the snapshots change instead of copying it.
struct ScrapeText {
  std::string agent;
  std::shared_ptr<const std::string> snapshots;
};

/// Serializing the snapshot families would be nearly all of a scrape's cost (about
/// 4 KB of text per database through prometheus-cpp's TextSerializer), yet
/// they change only when a snapshot is published: a collection cycle every
/// interval, while Prometheus scrapes every few seconds. So their text is
/// serialized once per cycle, after it, on the scheduler's thread, and every
/// scrape until the next cycle's end sends it: a scrape shows the fleet as
/// of the last finished cycle, never half of one, and never serializes it
/// itself. That also keeps the HTTP threads' allocations small: glibc keeps
/// freed blocks in a cache per thread, and serializing on whichever of the
/// 16 threads took a scrape in the middle of a cycle slowly filled their
/// caches (up to 75 KB more each between minutes 8 and 30 of a soak). The
/// agent's own families (process_*, build_info) are serialized fresh for
/// every scrape.
class ScrapeBody {
 public:
  ScrapeBody(const SnapshotSource& source, const PostureMetrics& metrics);

  /// The body of a scrape: the snapshot part as of the last Refresh(),
  /// empty before the first.
  ScrapeText Render() const;
  /// Serializes the snapshot families again if the snapshots changed since
  /// the last time: called after each collection cycle, off the scrape path.
  void Refresh() const;

 private:
  // Weak references to the snapshot parts a text was serialized from: they
  // keep the parts' control blocks, so a part at the same address is the
  // very same immutable part, without keeping the facts of replaced
  // snapshots in memory.
  struct SerializedParts {
    std::weak_ptr<const v1::DatabasePosture> database;
    std::weak_ptr<const v1::DatabasePosture> cluster;
  };

  bool SerializedFrom(const std::vector<DatabaseSnapshot>& snapshots) const;

  const SnapshotSource& source_;
  const PostureMetrics& metrics_;
  // Held while serializing: a scrape that lands then waits for the new text
  // rather than keep the old one alive beside it (5 MB at 1,000 databases).
  mutable std::mutex mutex_;
  mutable std::vector<SerializedParts> serialized_from_;
  mutable std::shared_ptr<const std::string> snapshot_text_;
};

}  // namespace pgposture
