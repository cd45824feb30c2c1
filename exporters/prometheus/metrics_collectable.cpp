#include "exporters/prometheus/metrics_collectable.h"

#include <google/protobuf/util/time_util.h>
#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>

#include <set>

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;
using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

using Labels = std::vector<ClientMetric::Label>;

MetricFamily Gauge(const char* name, const char* help) { return {name, help, MetricType::Gauge, {}}; }

void Add(MetricFamily& family, Labels labels, double value) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
}

// target, environment and the target's own labels; plus database for
// database-scoped families.
Labels LabelsOf(const v1::DatabasePosture& posture, bool with_database) {
  Labels labels{{"target", posture.target()}, {"environment", posture.environment()}};
  if (with_database) labels.push_back({"database", posture.database()});
  for (const auto& [name, value] : posture.labels()) labels.push_back({name, value});
  return labels;
}

double Seconds(const google::protobuf::Timestamp& time) {
  return static_cast<double>(TimeUtil::TimestampToMilliseconds(time)) / 1000.0;
}

}  // namespace

PostureMetrics::PostureMetrics(const SnapshotSource& source, BuildInfo build)
    : source_(source), build_(std::move(build)) {}

std::vector<MetricFamily> PostureMetrics::Collect() const {
  MetricFamily build_info =
      Gauge("pgposture_build_info", "Version and git revision of the running agent; always 1.");
  Add(build_info, {{"version", build_.version}, {"revision", build_.revision}}, 1);

  MetricFamily up = Gauge("pgposture_up", "1 when the latest collection of the database succeeded, else 0.");
  MetricFamily stale = Gauge("pgposture_snapshot_stale",
                             "1 when the database's facts come from an earlier, successful collection.");
  MetricFamily duration =
      Gauge("pgposture_collection_duration_seconds", "How long the latest collection of the database took.");
  MetricFamily last_success = Gauge("pgposture_last_success_timestamp_seconds",
                                    "Unix time the latest successful collection of the database started.");
  MetricFamily extension = Gauge("pgposture_pgaudit_extension_created",
                                 "1 when the pgaudit extension is created in the database, 0 when not.");
  MetricFamily maturity =
      Gauge("pgposture_maturity_level",
            "Maturity level reached: 1 prototyping, 2 collaborating, 3 production, 4 enterprise.");
  MetricFamily required =
      Gauge("pgposture_required_maturity_level",
            "Maturity level the database's environment requires, numbered as pgposture_maturity_level.");
  MetricFamily loaded =
      Gauge("pgposture_pgaudit_loaded",
            "1 when pgaudit is in shared_preload_libraries of the target's cluster, 0 when not.");

  std::set<std::string> targets_seen;
  for (const DatabaseSnapshot& snapshot : source_.List()) {
    const v1::DatabasePosture& database = *snapshot.database;
    const v1::CollectionInfo& collection = database.collection();
    const Labels labels = LabelsOf(database, true);
    Add(up, labels, collection.stale() ? 0 : 1);
    Add(stale, labels, collection.stale() && collection.has_last_success_at() ? 1 : 0);
    Add(duration, labels, TimeUtil::DurationToNanoseconds(collection.duration()) / 1e9);
    if (collection.has_last_success_at()) Add(last_success, labels, Seconds(collection.last_success_at()));
    if (database.pgaudit().has_extension_created()) {
      Add(extension, labels, database.pgaudit().extension_created() ? 1 : 0);
    }
    Add(maturity, labels, database.maturity_level());
    Add(required, labels, database.required_level());
    // Cluster-scoped facts once per target, without a database label.
    if (snapshot.cluster && targets_seen.insert(database.target()).second &&
        snapshot.cluster->pgaudit().has_loaded()) {
      Add(loaded, LabelsOf(database, false), snapshot.cluster->pgaudit().loaded() ? 1 : 0);
    }
  }
  return {build_info, up, stale, duration, last_success, extension, maturity, required, loaded};
}

}  // namespace pgposture
