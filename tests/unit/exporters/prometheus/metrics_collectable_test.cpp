// Scoping and labels of the rendered families: cluster facts once per target,
// database facts per database, nothing for facts that were not collected.
#include "exporters/prometheus/metrics_collectable.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/unit/exporters/prometheus/posture_fixtures.h"

namespace pgposture::testing {
namespace {

using Labels = std::map<std::string, std::string>;

std::vector<prometheus::MetricFamily> Render(const FakeSnapshotSource& source) {
  return PostureMetrics(source, BuildInfo{"1.2.3", "abc123"}).Collect();
}

size_t SampleCount(const std::vector<prometheus::MetricFamily>& families, const std::string& name) {
  const prometheus::MetricFamily* family = FamilyOf(families, name);
  return family == nullptr ? 0 : family->metric.size();
}

TEST(MetricsCollectableTest, ClusterFactsOncePerTargetWithoutDatabaseLabel) {
  FakeSnapshotSource source;
  const v1::DatabasePosture cluster = FullClusterPart();
  for (const char* database : {"app", "billing", "postgres"}) {
    source.snapshots.push_back(
        Snapshot(cluster, FullDatabasePart("prod-1", database, "prod", {{"project", "shop"}})));
  }
  source.snapshots.push_back(Snapshot(cluster, FullDatabasePart("stage-1", "app", "staging")));
  const auto families = Render(source);

  EXPECT_EQ(SampleCount(families, "pgposture_pgaudit_loaded"), 2);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_loaded",
                  {{"target", "prod-1"}, {"environment", "prod"}, {"project", "shop"}}),
            1);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_loaded", {{"target", "stage-1"}, {"environment", "staging"}}),
            1);
  EXPECT_EQ(SampleCount(families, "pgposture_roles"), 2);
  EXPECT_EQ(SampleCount(families, "pgposture_ssl_enabled"), 2);
  EXPECT_EQ(SampleCount(families, "pgposture_archiver_archived_segments_total"), 2);

  EXPECT_EQ(SampleCount(families, "pgposture_pgaudit_extension_created"), 4);
  EXPECT_EQ(
      Value(families, "pgposture_up",
            {{"target", "prod-1"}, {"environment", "prod"}, {"database", "billing"}, {"project", "shop"}}),
      1);
}

// Records which area each family's pieces came in.
class AreasOfFamilies : public FamilyPieceSink {
 public:
  void Piece(std::vector<prometheus::MetricFamily> families, size_t pieces_left) override {
    ++pieces;
    // Counts down within an area, this piece included, to 1 for the last.
    EXPECT_GE(pieces_left, 1);
    if (pieces_in_area > 0) {
      EXPECT_EQ(pieces_left, last_pieces_left - 1);
    }
    last_pieces_left = pieces_left;
    ++pieces_in_area;
    for (const prometheus::MetricFamily& family : families) {
      const auto [area, first] = area_of.try_emplace(family.name, areas);
      EXPECT_EQ(area->second, areas) << family.name << " is in two areas";
      samples += family.metric.size();
    }
  }
  void AreaEnd() override {
    if (pieces_in_area > 0) {
      EXPECT_EQ(last_pieces_left, 1) << "area " << areas << " ended before its last piece";
    }
    ++areas;
    pieces_in_area = 0;
  }

  std::map<std::string, size_t> area_of;
  size_t pieces_in_area = 0;
  size_t last_pieces_left = 0;
  size_t areas = 0;
  size_t pieces = 0;
  size_t samples = 0;
};

// The scrape text joins each family's pieces as its area ends: a family
// split over two areas would be written twice, which Prometheus rejects.
TEST(MetricsCollectableTest, EachFamilyComesWholeFromOneArea) {
  const std::vector<DatabaseSnapshot> snapshots = FullSnapshots(3);
  AreasOfFamilies seen;
  PostureMetrics::SnapshotFamilyPieces(snapshots, seen);
  EXPECT_EQ(seen.areas, 10);
  // A piece per database for each of the 5 database areas, per target for
  // each of the 5 cluster areas.
  std::set<std::string> targets;
  for (const DatabaseSnapshot& snapshot : snapshots) targets.insert(snapshot.database->target());
  EXPECT_EQ(seen.pieces, 5 * snapshots.size() + 5 * targets.size());
  FakeSnapshotSource source;
  source.snapshots = snapshots;
  size_t collected = 0;
  for (const prometheus::MetricFamily& family : Render(source)) {
    if (family.name.rfind("process_", 0) != 0 && family.name != "pgposture_build_info") {
      EXPECT_EQ(seen.area_of.count(family.name), 1) << family.name;
      collected += family.metric.size();
    }
  }
  EXPECT_EQ(collected, seen.samples);
}

TEST(MetricsCollectableTest, EveryTargetSeriesCarriesTheConfiguredLabels) {
  FakeSnapshotSource source;
  source.snapshots = FullSnapshots(3);
  for (const prometheus::MetricFamily& family : Render(source)) {
    for (const prometheus::ClientMetric& metric : family.metric) {
      Labels labels;
      for (const auto& label : metric.label) labels[label.name] = label.value;
      if (labels.count("target") == 0) continue;
      EXPECT_EQ(labels["project"], "shop") << family.name;
      EXPECT_EQ(labels["environment"], "prod") << family.name;
    }
  }
}

TEST(MetricsCollectableTest, FactsNotCollectedLeaveNoSeries) {
  FakeSnapshotSource source;
  source.snapshots.push_back(Snapshot(v1::DatabasePosture(), DatabasePart("t", "db")));
  const auto families = Render(source);
  EXPECT_EQ(Value(families, "pgposture_up", {{"target", "t"}, {"environment", "prod"}, {"database", "db"}}),
            1);
  for (const char* absent : {"pgposture_pgaudit_loaded",
                             "pgposture_pgaudit_extension_created",
                             "pgposture_pgaudit_log_class_enabled",
                             "pgposture_backup_mode",
                             "pgposture_backup_info",
                             "pgposture_archiver_archived_segments_total",
                             "pgposture_roles",
                             "pgposture_roles_by_password_kind",
                             "pgposture_interactive_superuser_sessions",
                             "pgposture_ssl_enabled",
                             "pgposture_hba_risky_rules",
                             "pgposture_hba_rules",
                             "pgposture_client_connections",
                             "pgposture_ddl_capture_installed",
                             "pgposture_ddl_events_total",
                             "pgposture_migration_history_tables",
                             "pgposture_check_status",
                             "pgposture_maturity_level",
                             "pgposture_collection_error",
                             "pgposture_collector_error"}) {
    EXPECT_EQ(FamilyOf(families, absent), nullptr) << absent;
  }
}

TEST(MetricsCollectableTest, FailingDatabaseIsDownWithItsErrorClass) {
  FakeSnapshotSource source;
  v1::DatabasePosture stale = FullDatabasePart("t", "stale");
  stale.mutable_collection()->set_stale(true);
  stale.mutable_collection()->set_error_class(v1::ERROR_CLASS_TIMEOUT);
  v1::DatabasePosture never = DatabasePart("t", "never");
  never.mutable_collection()->clear_last_success_at();
  never.mutable_collection()->set_stale(true);
  never.mutable_collection()->set_error_class(v1::ERROR_CLASS_AUTH);
  source.snapshots = {Snapshot(FullClusterPart(), stale), Snapshot(never)};
  const auto families = Render(source);

  const Labels stale_labels{{"target", "t"}, {"environment", "prod"}, {"database", "stale"}};
  const Labels never_labels{{"target", "t"}, {"environment", "prod"}, {"database", "never"}};
  EXPECT_EQ(Value(families, "pgposture_up", stale_labels), 0);
  EXPECT_EQ(Value(families, "pgposture_snapshot_stale", stale_labels), 1);
  EXPECT_EQ(Value(families, "pgposture_last_success_timestamp_seconds", stale_labels), 1700000100);
  Labels with_class = stale_labels;
  with_class["class"] = "timeout";
  EXPECT_EQ(Value(families, "pgposture_collection_error", with_class), 1);
  // Stale facts stay visible, flagged by pgposture_snapshot_stale.
  EXPECT_EQ(Value(families, "pgposture_pgaudit_extension_created", stale_labels), 1);

  EXPECT_EQ(Value(families, "pgposture_up", never_labels), 0);
  EXPECT_EQ(Value(families, "pgposture_snapshot_stale", never_labels), 0);
  EXPECT_FALSE(Value(families, "pgposture_last_success_timestamp_seconds", never_labels));
  with_class = never_labels;
  with_class["class"] = "auth";
  EXPECT_EQ(Value(families, "pgposture_collection_error", with_class), 1);
  EXPECT_EQ(SampleCount(families, "pgposture_collection_error"), 2);
}

TEST(MetricsCollectableTest, HealthyDatabaseHasCollectionTimesAndNoError) {
  FakeSnapshotSource source;
  source.snapshots = FullSnapshots(1);
  const auto families = Render(source);
  const Labels labels{{"target", "app"}, {"environment", "prod"}, {"database", "db0"}, {"project", "shop"}};
  EXPECT_EQ(Value(families, "pgposture_collection_duration_seconds", labels), 0.125);
  EXPECT_EQ(Value(families, "pgposture_last_success_timestamp_seconds", labels), 1700000100);
  EXPECT_EQ(Value(families, "pgposture_snapshot_stale", labels), 0);
  EXPECT_EQ(FamilyOf(families, "pgposture_collection_error"), nullptr);
  // A fact area that failed within the cluster read, once per target.
  EXPECT_EQ(Value(families, "pgposture_collector_error",
                  {{"target", "app"}, {"environment", "prod"}, {"project", "shop"}, {"collector", "backup"}}),
            1);
}

TEST(MetricsCollectableTest, BuildInfoAndProcessMetrics) {
  FakeSnapshotSource source;
  const auto families = Render(source);
  EXPECT_EQ(Value(families, "pgposture_build_info", {{"version", "1.2.3"}, {"revision", "abc123"}}), 1);
  for (const char* name :
       {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
        "process_start_time_seconds", "process_open_fds", "process_max_fds"}) {
    EXPECT_NE(FamilyOf(families, name), nullptr) << name;
  }
}

}  // namespace
}  // namespace pgposture::testing
