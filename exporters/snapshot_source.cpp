#include "exporters/snapshot_source.h"

#include <algorithm>

namespace pgposture {

v1::DatabasePosture MergedPosture(const DatabaseSnapshot& snapshot) {
  v1::DatabasePosture merged;
  if (snapshot.cluster) merged = *snapshot.cluster;
  // The two parts set disjoint fields, so merging is a plain union.
  if (snapshot.database) merged.MergeFrom(*snapshot.database);
  return merged;
}

std::optional<DatabaseSnapshot> SnapshotSource::Find(const std::string& name) const {
  for (DatabaseSnapshot& snapshot : List()) {
    if (snapshot.database->name() == name) return std::move(snapshot);
  }
  return std::nullopt;
}

void SnapshotSource::AddObserver(std::shared_ptr<SnapshotObserver> observer) const {
  std::lock_guard<std::mutex> lock(observers_mutex_);
  observers_.push_back(std::move(observer));
}

void SnapshotSource::RemoveObserver(const SnapshotObserver* observer) const {
  std::lock_guard<std::mutex> lock(observers_mutex_);
  observers_.erase(std::remove_if(observers_.begin(), observers_.end(),
                                  [observer](const auto& added) { return added.get() == observer; }),
                   observers_.end());
}

// A copy, so that observers run without the lock and may add or remove
// observers themselves.
std::vector<std::shared_ptr<SnapshotObserver>> SnapshotSource::Observers() const {
  std::lock_guard<std::mutex> lock(observers_mutex_);
  return observers_;
}

void SnapshotSource::NotifyPublished(const DatabaseSnapshot& snapshot) const {
  for (const auto& observer : Observers()) observer->OnPublished(snapshot);
}

void SnapshotSource::NotifyReady() const {
  for (const auto& observer : Observers()) observer->OnReady();
}

}  // namespace pgposture
