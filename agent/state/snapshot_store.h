// The agent's latest snapshot of every database.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "exporters/snapshot_source.h"

namespace pgposture {

/// Holds one immutable snapshot per database. Writers swap a whole snapshot
/// in; readers copy pointers under a short lock and never wait on a database.
class SnapshotStore : public SnapshotSource {
 public:
  /// Replaces the snapshot of snapshot.database->name(), then tells the
  /// observers.
  void Publish(DatabaseSnapshot snapshot);
  /// Drops every snapshot of `target` whose database is not in `keep`.
  void Retain(const std::string& target, const std::set<std::string>& keep);
  /// Drops every snapshot of targets not in `keep`.
  void RetainTargets(const std::set<std::string>& keep);
  /// Sets ready(), telling the observers the first time.
  void MarkReady();

  std::vector<DatabaseSnapshot> List() const override;
  std::optional<DatabaseSnapshot> Find(const std::string& name) const override;
  bool ready() const override { return ready_; }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, DatabaseSnapshot> snapshots_;  // by resource name
  std::atomic<bool> ready_{false};
};

}  // namespace pgposture
