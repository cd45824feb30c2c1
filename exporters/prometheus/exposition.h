// Building blocks of the metric families one scrape renders.
#pragma once

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/timestamp.pb.h>
#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

using Labels = std::vector<prometheus::ClientMetric::Label>;

/// A metric family's name, type and HELP text. Declared once per family as a
/// constant with static storage: Families keys on its address.
struct FamilySpec {
  const char* name;
  prometheus::MetricType type;
  const char* help;
};

/// A label a family adds to the target's or database's labels.
struct ExtraLabel {
  const char* name;
  std::string_view value;
};

/// The families of one scrape. A family exists once it has a sample, so
/// facts that were not collected leave no empty family behind.
class Families {
 public:
  /// Appends a sample to the family `spec` (a gauge's or a counter's value,
  /// as the spec says) with `labels`, then `extra`.
  void Add(const FamilySpec& spec, const Labels& labels, std::initializer_list<ExtraLabel> extra,
           double value);
  void Add(const FamilySpec& spec, const Labels& labels, double value) { Add(spec, labels, {}, value); }
  /// Every family with at least one sample, sorted by name.
  std::vector<prometheus::MetricFamily> Take();

 private:
  std::unordered_map<const FamilySpec*, prometheus::MetricFamily> families_;
};

/// Sorts `families` by name, the order of a scrape.
void SortByName(std::vector<prometheus::MetricFamily>& families);

/// `target`, `environment` and the target's configured labels: the labels of
/// cluster-scoped series, read from the database part of a snapshot (the
/// cluster part carries facts only).
Labels TargetLabels(const v1::DatabasePosture& database);
/// TargetLabels plus `database`: the labels of database-scoped series.
Labels DatabaseLabels(const v1::DatabasePosture& database);

/// Seconds since the Unix epoch, with millisecond precision.
double UnixSeconds(const google::protobuf::Timestamp& time);
/// The duration in seconds, with microsecond precision.
double Seconds(const google::protobuf::Duration& duration);

/// A protobuf enum value as a label value: its name without the prefix the
/// type's zero value `X_UNSPECIFIED` carries, lowercased
/// (SEVERITY_CRITICAL -> "critical").
std::string EnumValueLabel(const google::protobuf::EnumValueDescriptor& value);
/// EnumValueLabel of `value`, "unknown" for a number the type lacks.
/// Computed once per type: a scrape labels thousands of samples with a
/// handful of enum values.
template <typename Enum>
const std::string& EnumLabel(Enum value) {
  static const std::unordered_map<int, std::string> labels = [] {
    const google::protobuf::EnumDescriptor& type = *google::protobuf::GetEnumDescriptor<Enum>();
    std::unordered_map<int, std::string> all;
    for (int i = 0; i < type.value_count(); ++i) {
      all.emplace(type.value(i)->number(), EnumValueLabel(*type.value(i)));
    }
    return all;
  }();
  static const std::string unknown = "unknown";
  const auto found = labels.find(static_cast<int>(value));
  return found == labels.end() ? unknown : found->second;
}

}  // namespace pgposture
