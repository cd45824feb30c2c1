#include "agent/state/snapshot_store.h"

namespace pgposture {

void SnapshotStore::Publish(DatabaseSnapshot snapshot) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    snapshots_[snapshot.database->name()] = snapshot;
  }
  NotifyPublished(snapshot);
}

void SnapshotStore::MarkReady() {
  if (!ready_.exchange(true)) NotifyReady();
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

std::optional<DatabaseSnapshot> SnapshotStore::Find(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = snapshots_.find(name);
  if (found == snapshots_.end()) return std::nullopt;
  return found->second;
}

}  // namespace pgposture
