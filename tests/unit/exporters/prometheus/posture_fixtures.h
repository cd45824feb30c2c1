// Hand-built snapshots for exporter tests and the scrape benchmark: every
// fact area filled, as the collectors fill them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exporters/snapshot_source.h"
#include "prometheus/metric_family.h"

namespace pgposture::testing {

/// A SnapshotSource over a fixed list.
class FakeSnapshotSource : public SnapshotSource {
 public:
  std::vector<DatabaseSnapshot> List() const override { return snapshots; }
  bool ready() const override { return is_ready; }

  std::vector<DatabaseSnapshot> snapshots;
  bool is_ready = false;
};

/// The database part of a successful collection: resource name, target,
/// environment, the target's labels and collection info, no facts.
v1::DatabasePosture DatabasePart(const std::string& target, const std::string& database,
                                 const std::string& environment = "prod",
                                 const std::map<std::string, std::string>& labels = {});

/// A cluster part with every cluster-scoped fact set: pgaudit, backup,
/// roles (md5, scram, superusers, an interactive superuser session),
/// network (risky hba rules) and a collector error.
v1::DatabasePosture FullClusterPart();

/// DatabasePart plus every database-scoped fact: pgaudit coverage, DDL
/// events, a migration table, findings of every status and maturity.
v1::DatabasePosture FullDatabasePart(const std::string& target, const std::string& database,
                                     const std::string& environment = "prod",
                                     const std::map<std::string, std::string>& labels = {});

/// `databases` databases of target "app" sharing one FullClusterPart.
std::vector<DatabaseSnapshot> FullSnapshots(int databases);

/// Wraps parts into a snapshot.
DatabaseSnapshot Snapshot(const v1::DatabasePosture& cluster, const v1::DatabasePosture& database);
DatabaseSnapshot Snapshot(const v1::DatabasePosture& database);

/// The value of the sample of family `name` whose labels are exactly
/// `labels`; nullopt when there is none.
std::optional<double> Value(const std::vector<prometheus::MetricFamily>& families, const std::string& name,
                            const std::map<std::string, std::string>& labels);

/// The family `name`, or nullptr.
const prometheus::MetricFamily* FamilyOf(const std::vector<prometheus::MetricFamily>& families,
                                         const std::string& name);

}  // namespace pgposture::testing
