// The text exposition as Prometheus reads it: lint-clean, locale-proof,
// label names that cannot clash with a target's configured labels.
#include "exporters/prometheus/exposition.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <clocale>
#include <cstdio>
#include <locale>
#include <set>
#include <sstream>

#include "exporters/prometheus/label_names.h"
#include "exporters/prometheus/metrics_collectable.h"
#include "tests/harness/process.h"
#include "tests/unit/exporters/prometheus/posture_fixtures.h"

namespace pgposture::testing {
namespace {

// German number punctuation: 1.073.741.824,5.
class GermanNumpunct : public std::numpunct<char> {
 protected:
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

// Switches the C locale (printf, strtod) to `name` and the global C++ locale
// (streams) to German punctuation for the scope, as prometheus-cpp's
// core/tests/raii_locale.h does. The C++ side is built from a facet because
// glibc's newlocale, behind std::locale(name), leaks under LOCPATH, which the
// sanitizer build reports.
class ScopedLocale {
 public:
  explicit ScopedLocale(const char* name)
      : previous_(std::locale::global(std::locale(std::locale::classic(), new GermanNumpunct))) {
    std::setlocale(LC_ALL, name);
  }
  ~ScopedLocale() {
    std::setlocale(LC_ALL, "C");
    std::locale::global(previous_);
  }

 private:
  std::locale previous_;
};

// Two targets, one database failing: every family, error series included.
std::string FullExposition() {
  FakeSnapshotSource source;
  source.snapshots = FullSnapshots(3);
  v1::DatabasePosture failing = FullDatabasePart("other", "db", "staging");
  failing.mutable_collection()->set_stale(true);
  failing.mutable_collection()->set_error_class(v1::ERROR_CLASS_TOO_MANY_CONNECTIONS);
  source.snapshots.push_back(Snapshot(FullClusterPart(), failing));
  return prometheus::TextSerializer().Serialize(PostureMetrics(source, BuildInfo{"0.1.0", "abc"}).Collect());
}

TEST(ExpositionTest, EnumLabels) {
  EXPECT_EQ(EnumLabel(v1::SEVERITY_CRITICAL), "critical");
  EXPECT_EQ(EnumLabel(v1::MATURITY_LEVEL_PRODUCTION), "production");
  EXPECT_EQ(EnumLabel(v1::PASSWORD_KIND_SCRAM_SHA_256), "scram_sha_256");
  EXPECT_EQ(EnumLabel(v1::ERROR_CLASS_TOO_MANY_CONNECTIONS), "too_many_connections");
  EXPECT_EQ(EnumLabel(v1::ARCHIVE_TOOL_UNSPECIFIED), "unspecified");
  EXPECT_EQ(EnumLabel(static_cast<v1::BackupMode>(99)), "unknown");
}

TEST(ExpositionTest, PassesPromtoolCheckMetrics) {
  const std::string exposition = FullExposition();
  const ProcessResult lint =
      RunProcess(Command({"promtool", "check", "metrics"}, {}, exposition), std::chrono::seconds(30));
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  EXPECT_EQ(lint.out + lint.err, "") << exposition;
}

TEST(ExpositionTest, NumbersUseADotUnderADecimalCommaLocale) {
  // LOCPATH points at a de_DE.UTF-8 built with the tests (tests/unit/CMakeLists.txt).
  ScopedLocale german("de_DE.UTF-8");
  char formatted[16];
  std::snprintf(formatted, sizeof(formatted), "%.3f", 0.125);
  ASSERT_STREQ(formatted, "0,125") << "the C locale did not take effect";
  std::ostringstream stream;
  stream << 1234.5;
  ASSERT_EQ(stream.str(), "1.234,5") << "the C++ locale did not take effect";

  const std::string exposition = FullExposition();
  EXPECT_NE(exposition.find(R"(pgposture_collection_duration_seconds{target="app",environment="prod",)"
                            R"(database="db0",project="shop"} 0.125)"),
            std::string::npos)
      << exposition;
  EXPECT_NE(exposition.find("pgposture_replication_slot_retained_wal_bytes{"), std::string::npos);
  EXPECT_EQ(exposition.find("0,125"), std::string::npos) << exposition;
  EXPECT_NE(exposition.find("} 1073741824\n"), std::string::npos) << "no digit grouping: " << exposition;
}

TEST(ExpositionTest, FamilyLabelsAreReservedFromConfiguredLabels) {
  FakeSnapshotSource source;
  source.snapshots = FullSnapshots(1);
  std::set<std::string> used;
  for (const prometheus::MetricFamily& family : PostureMetrics(source, BuildInfo{}).Collect()) {
    for (const prometheus::ClientMetric& metric : family.metric) {
      bool of_target = false;
      for (const auto& label : metric.label) of_target = of_target || label.name == "target";
      if (!of_target) continue;
      for (const auto& label : metric.label) used.insert(label.name);
    }
  }
  for (const char* own : {"target", "environment", "database", "project"}) used.erase(own);
  const std::set<std::string> reserved(kFamilyLabelNames.begin(), kFamilyLabelNames.end());
  // Every family label is reserved; every reserved name is still in use.
  EXPECT_EQ(used, reserved);
}

}  // namespace
}  // namespace pgposture::testing
