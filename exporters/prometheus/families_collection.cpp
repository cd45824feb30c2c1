// How and when each database was collected.
#include "exporters/prometheus/families.h"

namespace pgposture {
namespace {

using prometheus::MetricType;

constexpr FamilySpec kUp{"pgposture_up", MetricType::Gauge,
                         "1 when the latest collection of the database succeeded, else 0."};
constexpr FamilySpec kStale{"pgposture_snapshot_stale", MetricType::Gauge,
                            "1 when the database's facts come from an earlier, successful collection."};
constexpr FamilySpec kDuration{"pgposture_collection_duration_seconds", MetricType::Gauge,
                               "How long the latest collection of the database took."};
constexpr FamilySpec kLastSuccess{"pgposture_last_success_timestamp_seconds", MetricType::Gauge,
                                  "Unix time the latest successful collection of the database started."};
constexpr FamilySpec kCollectionError{
    "pgposture_collection_error", MetricType::Gauge,
    "1, labelled with the error class, while the latest collection of the database failed."};
constexpr FamilySpec kCollectorError{
    "pgposture_collector_error", MetricType::Gauge,
    "1 for each fact area whose collector failed while the rest of the collection succeeded."};

void AddCollectorErrors(const v1::CollectionInfo& collection, const Labels& labels, Families& out) {
  for (const v1::CollectorError& error : collection.collector_errors()) {
    out.Add(kCollectorError, labels, {{"collector", error.collector()}}, 1);
  }
}

}  // namespace

void AddCollectionFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out) {
  const v1::CollectionInfo& collection = facts.collection();
  out.Add(kUp, labels, Flag(!collection.stale()));
  out.Add(kStale, labels, Flag(collection.stale() && collection.has_last_success_at()));
  out.Add(kDuration, labels, Seconds(collection.duration()));
  if (collection.has_last_success_at())
    out.Add(kLastSuccess, labels, UnixSeconds(collection.last_success_at()));
  if (collection.stale()) {
    out.Add(kCollectionError, labels, {{"class", EnumLabel(collection.error_class())}}, 1);
  }
  AddCollectorErrors(collection, labels, out);
}

void AddClusterCollectionFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out) {
  AddCollectorErrors(facts.collection(), labels, out);
}

}  // namespace pgposture
