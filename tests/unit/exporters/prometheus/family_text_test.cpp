// Pieces of a family, serialized one at a time, read as the family
// serialized whole: one HELP and TYPE, every sample in the pieces' order.
#include "exporters/prometheus/family_text.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <string>
#include <vector>

namespace pgposture::testing {
namespace {

prometheus::MetricFamily Family(const std::string& name, const std::string& help,
                                const std::vector<std::string>& databases) {
  prometheus::MetricFamily family{name, help, prometheus::MetricType::Gauge, {}};
  double value = 0;
  for (const std::string& database : databases) {
    prometheus::ClientMetric& metric = family.metric.emplace_back();
    metric.label = {{"target", "prod-1"}, {"database", database}};
    metric.gauge.value = ++value;
  }
  return family;
}

std::string Serialized(std::vector<prometheus::MetricFamily> families) {
  return prometheus::TextSerializer().Serialize(families);
}

TEST(FamilyTextWriterTest, PiecesOfAFamilyReadAsTheWholeFamily) {
  std::string text;
  FamilyTextWriter writer(text);
  prometheus::MetricFamily second = Family("pgposture_up", "1 when collected.", {"app", "billing"});
  second.metric[0].gauge.value = 3;
  second.metric[1].gauge.value = 4;
  writer.Piece({Family("pgposture_up", "1 when collected.", {"shop", "stock"})}, 2);
  writer.Piece({second}, 1);
  writer.AreaEnd();

  prometheus::MetricFamily whole = Family("pgposture_up", "1 when collected.", {"shop", "stock"});
  whole.metric.insert(whole.metric.end(), second.metric.begin(), second.metric.end());
  EXPECT_EQ(text, Serialized({whole}));
}

TEST(FamilyTextWriterTest, AFamilyWithoutHelpKeepsOneTypeLine) {
  std::string text;
  FamilyTextWriter writer(text);
  writer.Piece({Family("pgposture_roles", "", {"app"})}, 2);
  writer.Piece({Family("pgposture_roles", "", {"billing"})}, 1);
  writer.AreaEnd();
  EXPECT_EQ(text,
            "# TYPE pgposture_roles gauge\n"
            "pgposture_roles{target=\"prod-1\",database=\"app\"} 1\n"
            "pgposture_roles{target=\"prod-1\",database=\"billing\"} 1\n");
}

TEST(FamilyTextWriterTest, EachAreaIsWrittenWholeAndSortedByNameWhenItEnds) {
  std::string text;
  FamilyTextWriter writer(text);
  writer.Piece({Family("pgposture_b", "B.", {"app"}), Family("pgposture_c", "C.", {"app"})}, 2);
  writer.Piece({Family("pgposture_a", "A.", {"billing"}), Family("pgposture_c", "C.", {"billing"})}, 1);
  EXPECT_EQ(text, "") << "an area is written when it ends";
  writer.AreaEnd();
  const std::string first_area = text;
  writer.Piece({Family("pgposture_0", "Zero.", {"app"})}, 1);
  writer.AreaEnd();

  prometheus::MetricFamily c = Family("pgposture_c", "C.", {"app", "billing"});
  c.metric[1].gauge.value = 1;
  EXPECT_EQ(first_area,
            Serialized({Family("pgposture_a", "A.", {"billing"}), Family("pgposture_b", "B.", {"app"}), c}));
  EXPECT_EQ(text, first_area + Serialized({Family("pgposture_0", "Zero.", {"app"})}))
      << "a later area follows, whatever its names";
}

}  // namespace
}  // namespace pgposture::testing
