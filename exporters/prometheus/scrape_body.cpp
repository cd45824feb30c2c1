#include "exporters/prometheus/scrape_body.h"

#include <prometheus/text_serializer.h>

#include <algorithm>

namespace pgposture {
namespace {

bool SameSnapshots(const std::vector<DatabaseSnapshot>& a, const std::vector<DatabaseSnapshot>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const DatabaseSnapshot& x, const DatabaseSnapshot& y) {
                      return x.database == y.database && x.cluster == y.cluster;
                    });
}

}  // namespace

ScrapeBody::ScrapeBody(const SnapshotSource& source, const PostureMetrics& metrics)
    : source_(source), metrics_(metrics) {}

std::shared_ptr<const std::string> ScrapeBody::SnapshotText() const {
  std::vector<DatabaseSnapshot> snapshots = source_.List();
  std::lock_guard<std::mutex> lock(mutex_);
  if (!snapshot_text_ || !SameSnapshots(snapshots, serialized_from_)) {
    snapshot_text_ = std::make_shared<const std::string>(
        prometheus::TextSerializer().Serialize(PostureMetrics::SnapshotFamilies(snapshots)));
    serialized_from_ = std::move(snapshots);
  }
  return snapshot_text_;
}

std::string ScrapeBody::Render() const {
  const std::shared_ptr<const std::string> snapshot_text = SnapshotText();
  std::string body = prometheus::TextSerializer().Serialize(metrics_.AgentFamilies());
  body += *snapshot_text;
  return body;
}

void ScrapeBody::Refresh() const { SnapshotText(); }

}  // namespace pgposture
