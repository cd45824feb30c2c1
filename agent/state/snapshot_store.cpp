#include "agent/state/snapshot_store.h"

namespace pgposture {

void SnapshotStore::Publish(DatabaseSnapshot snapshot) {
  const std::string name = snapshot.database->name();
  std::lock_guard<std::mutex> lock(mutex_);
  snapshots_[name] = std::move(snapshot);
}

void SnapshotStore::Retain(const std::string& target, const std::set<std::string>& keep) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = snapshots_.begin(); it != snapshots_.end();) {
    const v1::DatabasePosture& posture = *it->second.database;
    const bool drop = posture.target() == target && keep.count(posture.database()) == 0;
    it = drop ? snapshots_.erase(it) : std::next(it);
  }
}

void SnapshotStore::RetainTargets(const std::set<std::string>& keep) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = snapshots_.begin(); it != snapshots_.end();) {
    const bool drop = keep.count(it->second.database->target()) == 0;
    it = drop ? snapshots_.erase(it) : std::next(it);
  }
}

std::vector<DatabaseSnapshot> SnapshotStore::List() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<DatabaseSnapshot> all;
  all.reserve(snapshots_.size());
  for (const auto& [name, snapshot] : snapshots_) all.push_back(snapshot);
  return all;
}

}  // namespace pgposture
