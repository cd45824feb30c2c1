// The read-only view of the agent's state that exporters are given.
#pragma once

#include <memory>
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

/// What exporters read. Reading never touches a database.
class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  /// Every database's latest snapshot, ordered by resource name.
  virtual std::vector<DatabaseSnapshot> List() const = 0;
  /// True once the first collection cycle has finished.
  virtual bool ready() const = 0;
};

}  // namespace pgposture
