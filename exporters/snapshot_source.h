// The read-only view of the agent's state that exporters are given.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// The latest facts of one database. Both parts are immutable once published.
struct DatabaseSnapshot {
  /// Cluster-scoped facts (server settings, roles, hba, archiver), shared by
  /// every database of the same target. Null until the cluster was read once.
  std::shared_ptr<const v1::DatabasePosture> cluster;
  /// Database-scoped facts, collection info, findings and maturity.
  std::shared_ptr<const v1::DatabasePosture> database;
};

/// The whole posture of one database: both parts merged into one message, as
/// `pgposture check --format json` and GetPosture return it.
v1::DatabasePosture MergedPosture(const DatabaseSnapshot& snapshot);

/// Told of what a SnapshotSource publishes, for exporters that push (the gRPC
/// DDL event stream) instead of being read.
class SnapshotObserver {
 public:
  virtual ~SnapshotObserver() = default;
  /// `snapshot` has just replaced its database's previous snapshot. Called
  /// on the publishing (collection) thread, outside the source's lock, so it
  /// may read the source; it must not block, or collection waits.
  virtual void OnPublished(const DatabaseSnapshot& snapshot) = 0;
  /// The first collection cycle has finished: ready() is now true.
  virtual void OnReady() = 0;
};

/// What exporters read. Reading never touches a database.
class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  /// Every database's latest snapshot, ordered by resource name.
  virtual std::vector<DatabaseSnapshot> List() const = 0;
  /// The latest snapshot of the database with resource name `name`, or
  /// nullopt. This default scans List(); sources with an index override it.
  virtual std::optional<DatabaseSnapshot> Find(const std::string& name) const;
  /// True once the first collection cycle has finished.
  virtual bool ready() const = 0;

  /// Tells `observer` of every publish from now on. Observing does not
  /// change what is read, hence const.
  void AddObserver(std::shared_ptr<SnapshotObserver> observer) const;
  /// Stops telling `observer`. A call already under way on another thread
  /// may still end after this returns; the shared_ptr keeps it alive.
  void RemoveObserver(const SnapshotObserver* observer) const;

 protected:
  /// For implementations: call after each publish and once when ready, with
  /// no lock held.
  void NotifyPublished(const DatabaseSnapshot& snapshot) const;
  void NotifyReady() const;

 private:
  std::vector<std::shared_ptr<SnapshotObserver>> Observers() const;

  mutable std::mutex observers_mutex_;
  mutable std::vector<std::shared_ptr<SnapshotObserver>> observers_;
};

}  // namespace pgposture
