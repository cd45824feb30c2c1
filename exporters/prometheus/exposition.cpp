#include "exporters/prometheus/exposition.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>

namespace pgposture {

void Families::Add(const FamilySpec& spec, const Labels& labels, std::initializer_list<ExtraLabel> extra,
                   double value) {
  auto [it, inserted] = families_.try_emplace(&spec);
  prometheus::MetricFamily& family = it->second;
  if (inserted) {
    family.name = spec.name;
    family.help = spec.help;
    family.type = spec.type;
  }
  prometheus::ClientMetric& metric = family.metric.emplace_back();
  // Built in place: a scrape adds thousands of samples.
  metric.label.reserve(labels.size() + extra.size());
  metric.label = labels;
  for (const ExtraLabel& label : extra) metric.label.push_back({label.name, std::string(label.value)});
  if (spec.type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
}

std::vector<prometheus::MetricFamily> Families::Take() {
  std::vector<prometheus::MetricFamily> sorted;
  sorted.reserve(families_.size());
  for (auto& [spec, family] : families_) sorted.push_back(std::move(family));
  families_.clear();
  SortByName(sorted);
  return sorted;
}

void SortByName(std::vector<prometheus::MetricFamily>& families) {
  std::sort(
      families.begin(), families.end(),
      [](const prometheus::MetricFamily& a, const prometheus::MetricFamily& b) { return a.name < b.name; });
}

Labels TargetLabels(const v1::DatabasePosture& database) {
  Labels labels{{"target", database.target()}, {"environment", database.environment()}};
  for (const auto& [name, value] : database.labels()) labels.push_back({name, value});
  return labels;
}

Labels DatabaseLabels(const v1::DatabasePosture& database) {
  Labels labels = TargetLabels(database);
  labels.insert(labels.begin() + 2, {"database", database.database()});
  return labels;
}

double UnixSeconds(const google::protobuf::Timestamp& time) {
  return static_cast<double>(google::protobuf::util::TimeUtil::TimestampToMilliseconds(time)) / 1000.0;
}

double Seconds(const google::protobuf::Duration& duration) {
  return static_cast<double>(google::protobuf::util::TimeUtil::DurationToMicroseconds(duration)) / 1e6;
}

std::string EnumValueLabel(const google::protobuf::EnumValueDescriptor& value) {
  // Every enum of the model starts with X_UNSPECIFIED = 0; X_ is the prefix.
  const std::string& zero = value.type()->value(0)->name();
  std::string label = value.name().substr(zero.size() - std::string_view("UNSPECIFIED").size());
  // ASCII only: std::tolower would follow the process's locale.
  for (char& c : label) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return label;
}

}  // namespace pgposture
