#include "exporters/prometheus/metrics_collectable.h"

#include <algorithm>
#include <iterator>
#include <map>
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

// One database-scoped area of every snapshot, a piece per database; `labels`
// are the snapshots' DatabaseLabels, in the same order.
void AddDatabaseArea(AreaRenderer render, const std::vector<DatabaseSnapshot>& snapshots,
                     const std::vector<Labels>& labels, FamilyPieceSink& sink) {
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    Families piece;
    render(*snapshots[i].database, labels[i], piece);
    sink.Piece(piece.Take(), snapshots.size() - i);
  }
  sink.AreaEnd();
}

// One cluster-scoped area of every target, a piece per target.
void AddClusterArea(AreaRenderer render, const std::vector<DatabaseSnapshot>& snapshots,
                    FamilyPieceSink& sink) {
  // A target's databases share one cluster part: render it once, from the
  // target's first snapshot that has it.
  std::set<std::string> targets_seen;
  std::vector<const DatabaseSnapshot*> first_of_target;
  for (const DatabaseSnapshot& snapshot : snapshots) {
    if (snapshot.cluster && targets_seen.insert(snapshot.database->target()).second) {
      first_of_target.push_back(&snapshot);
    }
  }
  for (std::size_t i = 0; i < first_of_target.size(); ++i) {
    Families piece;
    render(*first_of_target[i]->cluster, TargetLabels(*first_of_target[i]->database), piece);
    sink.Piece(piece.Take(), first_of_target.size() - i);
  }
  sink.AreaEnd();
}

// Joins pieces into whole families.
class JoinFamilies : public FamilyPieceSink {
 public:
  void Piece(std::vector<prometheus::MetricFamily> families, std::size_t /*pieces_left*/) override {
    for (prometheus::MetricFamily& family : families) {
      auto [joined, first] = by_name_.try_emplace(family.name);
      if (first) {
        joined->second = std::move(family);
      } else {
        std::move(family.metric.begin(), family.metric.end(), std::back_inserter(joined->second.metric));
      }
    }
  }
  void AreaEnd() override {}

  void MoveTo(std::vector<prometheus::MetricFamily>& out) {
    for (auto& [name, family] : by_name_) out.push_back(std::move(family));
    by_name_.clear();
  }

 private:
  std::map<std::string, prometheus::MetricFamily> by_name_;
};

}  // namespace

PostureMetrics::PostureMetrics(const SnapshotSource& source, BuildInfo build)
    : source_(source), build_(std::move(build)) {}

std::vector<prometheus::MetricFamily> PostureMetrics::Collect() const {
  std::vector<prometheus::MetricFamily> all = AgentFamilies();
  JoinFamilies snapshot_families;
  SnapshotFamilyPieces(source_.List(), snapshot_families);
  snapshot_families.MoveTo(all);
  SortByName(all);
  return all;
}

std::vector<prometheus::MetricFamily> PostureMetrics::AgentFamilies() const {
  Families out;
  AddAgentFamilies(build_, out);
  return out.Take();
}

void PostureMetrics::SnapshotFamilyPieces(const std::vector<DatabaseSnapshot>& snapshots,
                                          FamilyPieceSink& sink) {
  std::vector<Labels> database_labels;
  database_labels.reserve(snapshots.size());
  for (const DatabaseSnapshot& snapshot : snapshots)
    database_labels.push_back(DatabaseLabels(*snapshot.database));
  for (AreaRenderer render : kDatabaseAreas) AddDatabaseArea(render, snapshots, database_labels, sink);
  for (AreaRenderer render : kClusterAreas) AddClusterArea(render, snapshots, sink);
}

}  // namespace pgposture
