// The interface every fact-area collector implements.
#pragma once

#include <string>

#include "collectors/session.h"
#include "collectors/tagged_rows.h"
#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// Where a collector's facts live. Cluster-wide facts (server settings, roles,
/// hba, archiver, sessions) are read once per cluster per cycle and shared by
/// all of its databases' snapshots; database facts are read per database.
enum class Scope { kCluster, kDatabase };

/// Fills one fact area of a DatabasePosture. One instance serves one
/// database (or one cluster) for the agent's lifetime, so a collector may keep
/// state between cycles (cursors, previous inventories).
class Collector {
 public:
  virtual ~Collector() = default;

  /// Stable name, used in logs and CollectorError.
  virtual const char* name() const = 0;
  virtual Scope scope() const = 0;

  /// The tagged-rows statement Collect sends first this cycle, when it is
  /// known before anything is read; empty when there is none. The runner
  /// sends the first statements of all collectors together, in one round
  /// trip (Session::Prefetch), and Collect gets its rows from
  /// Session::QueryRows without another.
  virtual TaggedQuery FirstQuery() const { return {}; }

  /// Reads this area's facts over `session` into `posture`, setting only the
  /// fields of its own area. Throws pqxx exceptions on failure; the runner
  /// turns them into a CollectorError on the snapshot.
  virtual void Collect(Session& session, v1::DatabasePosture& posture) = 0;
};

}  // namespace pgposture
