// One target (a cluster) under audit: its databases and cluster-wide facts.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "agent/collect/audited_database.h"
#include "agent/collect/work_pool.h"
#include "agent/state/snapshot_store.h"
#include "exporters/collect_trigger.h"

namespace pgposture {

class AuditedTarget {
 public:
  AuditedTarget(TargetConfig config, CollectorOptions options);

  /// One cycle: collects the primary database (with the cluster-wide facts
  /// and discovery) in the calling thread, then queues the target's other
  /// databases on `pool` under `group`. Every database's snapshot is
  /// published to `store` as soon as it is done. When the primary database
  /// fails, the others are not tried: they share its server, and each would
  /// only wait out the same timeout.
  void CollectCycle(const CollectionContext& context, WorkPool& pool, TaskGroup& group, SnapshotStore& store);

  /// Collects database `name` alone, in the calling thread, and publishes
  /// it: kUnknown unless it is the primary database, a listed one, or one
  /// the latest cycle discovered. Not concurrently with CollectCycle.
  CollectNowResult CollectNow(const std::string& name, const CollectionContext& context,
                              SnapshotStore& store);

  /// The primary database's latest collection failed: the server is down,
  /// refusing the agent, or not answering.
  bool failing() const;

  const TargetConfig& config() const { return config_; }
  const CollectorOptions& options() const { return options_; }

 private:
  AuditedDatabase& Database(const std::string& name);
  void Publish(CollectionResult result, const CollectionContext& context, SnapshotStore& store) const;
  std::vector<std::string> DatabasesAfter(const CollectionResult& primary) const;
  /// `names` with the databases whose latest collection failed last: one
  /// that hangs holds a worker until its deadline, and must not make the
  /// healthy ones queue behind it.
  std::vector<std::string> HealthyFirst(std::vector<std::string> names);

  TargetConfig config_;
  CollectorOptions options_;
  std::string primary_;
  std::map<std::string, std::unique_ptr<AuditedDatabase>> databases_;
  std::shared_ptr<const v1::DatabasePosture> cluster_;
};

/// The database a target connects to first: the first listed one, else the
/// DSN's own (libpq's default being the user name).
std::string PrimaryDatabase(const TargetConfig& target);

}  // namespace pgposture
