// A throwaway cluster audited the way production is: by a login role that is
// no superuser, after `pgposture install`.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agent/collect/scheduler.h"
#include "agent/config/config.h"
#include "agent/state/snapshot_store.h"
#include "pgposture/v1/posture.pb.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture::testing {

class AuditedCluster {
 public:
  /// Starts the cluster, creates the login role `pgposture` (a password, no
  /// superuser) and runs `pgposture install` for it in database postgres.
  explicit AuditedCluster(PgClusterOptions options = {});

  PgCluster& cluster() { return *cluster_; }

  /// A target auditing `database` of this cluster as role pgposture.
  TargetConfig Target(const std::string& name, const std::string& database = "postgres",
                      const std::string& environment = "prod") const;

 private:
  std::unique_ptr<PgCluster> cluster_;
};

/// The agent over `targets`, kept across cycles as the daemon keeps it: its
/// collectors remember what earlier cycles taught them.
class CyclingAgent {
 public:
  explicit CyclingAgent(const std::vector<TargetConfig>& targets);
  /// One collection cycle: every database's whole posture (cluster and
  /// database facts merged), by resource name.
  std::map<std::string, v1::DatabasePosture> Cycle();

 private:
  SnapshotStore store_;
  std::unique_ptr<Scheduler> scheduler_;
};

/// One collection cycle of a new agent over `targets`.
std::map<std::string, v1::DatabasePosture> CollectOnce(const std::vector<TargetConfig>& targets);

/// The finding `check_id` of `posture`; throws when absent.
const v1::Finding& FindingOf(const v1::DatabasePosture& posture, const std::string& check_id);

/// Polls `done` every 100 ms for at most `timeout`; throws naming `what` when
/// it never holds.
void WaitFor(const std::string& what, const std::function<bool()>& done,
             std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace pgposture::testing
