#include "exporters/prometheus/metrics_collectable.h"

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

void AddSnapshotFamilies(const std::vector<DatabaseSnapshot>& snapshots, Families& out) {
  std::set<std::string> targets_seen;
  for (const DatabaseSnapshot& snapshot : snapshots) {
    const v1::DatabasePosture& database = *snapshot.database;
    const Labels database_labels = DatabaseLabels(database);
    for (AreaRenderer render : kDatabaseAreas) render(database, database_labels, out);
    // A target's databases share one cluster part: render it once.
    if (snapshot.cluster && targets_seen.insert(database.target()).second) {
      const Labels target_labels = TargetLabels(database);
      for (AreaRenderer render : kClusterAreas) render(*snapshot.cluster, target_labels, out);
    }
  }
}

}  // namespace

PostureMetrics::PostureMetrics(const SnapshotSource& source, BuildInfo build)
    : source_(source), build_(std::move(build)) {}

std::vector<prometheus::MetricFamily> PostureMetrics::Collect() const {
  Families out;
  AddAgentFamilies(build_, out);
  AddSnapshotFamilies(source_.List(), out);
  return out.Take();
}

std::vector<prometheus::MetricFamily> PostureMetrics::AgentFamilies() const {
  Families out;
  AddAgentFamilies(build_, out);
  return out.Take();
}

std::vector<prometheus::MetricFamily> PostureMetrics::SnapshotFamilies(
    const std::vector<DatabaseSnapshot>& snapshots) {
  Families out;
  AddSnapshotFamilies(snapshots, out);
  return out.Take();
}

}  // namespace pgposture
