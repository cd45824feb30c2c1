#include "exporters/prometheus/scrape_body.h"

#include <prometheus/text_serializer.h>

#include <algorithm>

#include "exporters/prometheus/family_text.h"

namespace pgposture {
namespace {

bool SameParts(const std::shared_ptr<const v1::DatabasePosture>& now,
               const std::weak_ptr<const v1::DatabasePosture>& then) {
  return !now.owner_before(then) && !then.owner_before(now);
}

}  // namespace

ScrapeBody::ScrapeBody(const SnapshotSource& source, const PostureMetrics& metrics)
    : source_(source), metrics_(metrics) {}

bool ScrapeBody::SerializedFrom(const std::vector<DatabaseSnapshot>& snapshots) const {
  return std::equal(snapshots.begin(), snapshots.end(), serialized_from_.begin(), serialized_from_.end(),
                    [](const DatabaseSnapshot& now, const SerializedParts& then) {
                      return SameParts(now.database, then.database) && SameParts(now.cluster, then.cluster);
                    });
}

void ScrapeBody::Refresh() const {
  const std::vector<DatabaseSnapshot> snapshots = source_.List();
  std::lock_guard<std::mutex> lock(mutex_);
  if (snapshot_text_ && SerializedFrom(snapshots)) return;

  // The last text's size plus some: the fleet rarely changes much between
  // cycles, so the string is seldom reallocated while it grows.
  const std::size_t last_size = snapshot_text_ ? snapshot_text_->size() : 0;
  // No scrape can take the old text while the lock is held, and those
  // sending it hold their own reference: dropping ours now frees it before
  // the new one is built, not after (5 MB at 1,000 databases).
  snapshot_text_.reset();
  auto text = std::make_shared<std::string>();
  text->reserve(last_size + last_size / 8);
  FamilyTextWriter writer(*text);
  PostureMetrics::SnapshotFamilyPieces(snapshots, writer);

  snapshot_text_ = std::move(text);
  serialized_from_.clear();
  for (const DatabaseSnapshot& snapshot : snapshots)
    serialized_from_.push_back({snapshot.database, snapshot.cluster});
}

ScrapeText ScrapeBody::Render() const {
  ScrapeText text{prometheus::TextSerializer().Serialize(metrics_.AgentFamilies()), nullptr};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    text.snapshots = snapshot_text_;
  }
  if (!text.snapshots) text.snapshots = std::make_shared<const std::string>();
  return text;
}

}  // namespace pgposture
