#include "exporters/prometheus/metrics_collectable.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "exporters/prometheus/families.h"
#include "exporters/prometheus/process_metrics.h"

namespace pgposture {
namespace {

constexpr FamilySpec kBuildInfo{"pgposture_build_info", prometheus::MetricType::Gauge,
                                "Version and git revision of the running agent; always 1."};

// Every area, in one list per scope: exporting a new area means adding a line.
constexpr AreaRenderer kDatabaseAreas[] = {
    AddCollectionFamilies, AddCheckFamilies, AddPgauditDatabaseFamilies, AddDdlFamilies, AddMigrationFamilies,
};
constexpr AreaRenderer kClusterAreas[] = {
    AddClusterCollectionFamilies, AddPgauditClusterFamilies, AddBackupFamilies, AddRolesFamilies,
    AddNetworkFamilies,
};

void AddAgentFamilies(const BuildInfo& build, Families& out) {
  out.Add(kBuildInfo, {{"version", build.version}, {"revision", build.revision}}, 1);
  AddProcessFamilies(out);
}

// One database-scoped area of every snapshot; `labels` are the snapshots'
// DatabaseLabels, in the same order.
void AddDatabaseArea(AreaRenderer render, const std::vector<DatabaseSnapshot>& snapshots,
                     const std::vector<Labels>& labels, Families& out) {
  for (std::size_t i = 0; i < snapshots.size(); ++i) render(*snapshots[i].database, labels[i], out);
}

// One cluster-scoped area of every target.
void AddClusterArea(AreaRenderer render, const std::vector<DatabaseSnapshot>& snapshots, Families& out) {
  std::set<std::string> targets_seen;
  for (const DatabaseSnapshot& snapshot : snapshots) {
    // A target's databases share one cluster part: render it once.
    if (snapshot.cluster && targets_seen.insert(snapshot.database->target()).second) {
      render(*snapshot.cluster, TargetLabels(*snapshot.database), out);
    }
  }
}

}  // namespace

PostureMetrics::PostureMetrics(const SnapshotSource& source, BuildInfo build)
    : source_(source), build_(std::move(build)) {}

std::vector<prometheus::MetricFamily> PostureMetrics::Collect() const {
  std::vector<prometheus::MetricFamily> all = AgentFamilies();
  SnapshotFamiliesByArea(source_.List(), [&all](std::vector<prometheus::MetricFamily> area) {
    std::move(area.begin(), area.end(), std::back_inserter(all));
  });
  SortByName(all);
  return all;
}

std::vector<prometheus::MetricFamily> PostureMetrics::AgentFamilies() const {
  Families out;
  AddAgentFamilies(build_, out);
  return out.Take();
}

void PostureMetrics::SnapshotFamiliesByArea(
    const std::vector<DatabaseSnapshot>& snapshots,
    const std::function<void(std::vector<prometheus::MetricFamily>)>& each) {
  std::vector<Labels> database_labels;
  database_labels.reserve(snapshots.size());
  for (const DatabaseSnapshot& snapshot : snapshots)
    database_labels.push_back(DatabaseLabels(*snapshot.database));
  for (AreaRenderer render : kDatabaseAreas) {
    Families out;
    AddDatabaseArea(render, snapshots, database_labels, out);
    each(out.Take());
  }
  for (AreaRenderer render : kClusterAreas) {
    Families out;
    AddClusterArea(render, snapshots, out);
    each(out.Take());
  }
}

}  // namespace pgposture
