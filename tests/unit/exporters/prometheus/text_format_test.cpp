// pgposture's text writer against prometheus-cpp's TextSerializer and the
// format's escaping rules.
#include "exporters/prometheus/text_format.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <limits>

#include "exporters/prometheus/metrics_collectable.h"
#include "tests/unit/exporters/prometheus/posture_fixtures.h"

namespace pgposture::testing {
namespace {

prometheus::MetricFamily Gauge(const std::string& name, std::vector<prometheus::ClientMetric::Label> labels,
                               double value) {
  prometheus::MetricFamily family{name, "Help.", prometheus::MetricType::Gauge, {}};
  family.metric.emplace_back().label = std::move(labels);
  family.metric.back().gauge.value = value;
  return family;
}

TEST(TextFormatTest, SameLinesAsPrometheusCpp) {
  FakeSnapshotSource source;
  source.snapshots = FullSnapshots(3);
  const auto families = PostureMetrics(source, BuildInfo{"0.1.0", "abc"}).Collect();
  std::vector<prometheus::MetricFamily> without_process;
  for (const auto& family : families) {
    // Their values (CPU seconds, start time) are where the two number formats differ.
    if (family.name.rfind("process_", 0) != 0) without_process.push_back(family);
  }
  EXPECT_EQ(SerializeText(without_process), prometheus::TextSerializer().Serialize(without_process));
}

TEST(TextFormatTest, EscapesLabelValues) {
  EXPECT_EQ(SerializeText({Gauge("g", {{"a", "back\\slash \"quoted\"\nnext"}}, 1)}),
            "# HELP g Help.\n# TYPE g gauge\ng{a=\"back\\\\slash \\\"quoted\\\"\\nnext\"} 1\n");
}

TEST(TextFormatTest, CountersAndUnlabelledSamples) {
  prometheus::MetricFamily counter{"c_total", "Counts.", prometheus::MetricType::Counter, {}};
  counter.metric.emplace_back().counter.value = 42;
  EXPECT_EQ(SerializeText({counter}), "# HELP c_total Counts.\n# TYPE c_total counter\nc_total 42\n");
}

TEST(TextFormatTest, NumbersAndSpecialValues) {
  const auto line = [](double value) {
    const std::string text = SerializeText({Gauge("g", {}, value)});
    return text.substr(text.rfind("g "));
  };
  EXPECT_EQ(line(0.125), "g 0.125\n");
  EXPECT_EQ(line(-1), "g -1\n");
  EXPECT_EQ(line(1795475705.99), "g 1795475705.99\n");
  EXPECT_EQ(line(0.1 + 0.2), "g 0.30000000000000004\n");
  EXPECT_EQ(line(1e9), "g 1000000000\n");
  EXPECT_EQ(line(1e300), "g 1e+300\n");
  EXPECT_EQ(line(std::numeric_limits<double>::quiet_NaN()), "g NaN\n");
  EXPECT_EQ(line(std::numeric_limits<double>::infinity()), "g +Inf\n");
  EXPECT_EQ(line(-std::numeric_limits<double>::infinity()), "g -Inf\n");
}

}  // namespace
}  // namespace pgposture::testing
