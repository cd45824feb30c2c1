// DDL capture: installed and enabled, events by classification, the last
// out-of-band change. Database-scoped.
#include "exporters/prometheus/families.h"

namespace pgposture {
namespace {

using prometheus::MetricType;

constexpr FamilySpec kInstalled{"pgposture_ddl_capture_installed", MetricType::Gauge,
                                "1 when pgposture's DDL capture event triggers exist in the database."};
constexpr FamilySpec kEnabled{"pgposture_ddl_capture_enabled", MetricType::Gauge,
                              "1 when pgposture's DDL capture event triggers are enabled in the database."};
constexpr FamilySpec kEvents{
    "pgposture_ddl_events_total", MetricType::Counter,
    "DDL commands captured in the database, by classification: migration, out_of_band, ignored."};
constexpr FamilySpec kInWindow{
    "pgposture_ddl_out_of_band_in_window", MetricType::Gauge,
    "Out-of-band DDL commands in the database within policy.ddl.window (they keep the production checks "
    "failing)."};
constexpr FamilySpec kCaptureFailures{
    "pgposture_ddl_capture_failures_total", MetricType::Counter,
    "Times recording a DDL command failed in the database (the command itself went through unrecorded)."};
constexpr FamilySpec kLastOutOfBand{"pgposture_ddl_last_out_of_band_timestamp_seconds", MetricType::Gauge,
                                    "Unix time of the latest out-of-band DDL command in the database."};

}  // namespace

void AddDdlFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out) {
  const v1::DdlFacts& ddl = facts.ddl();
  if (ddl.has_capture_installed()) out.Add(kInstalled, labels, Flag(ddl.capture_installed()));
  if (ddl.has_capture_enabled()) out.Add(kEnabled, labels, Flag(ddl.capture_enabled()));
  if (ddl.capture_installed()) {
    // Every classification has a series from the start, so the first event
    // of a kind is an increase that rate() and increase() see.
    const auto& events = ddl.events_by_classification();
    for (v1::DdlClassification classification :
         {v1::DDL_CLASSIFICATION_MIGRATION, v1::DDL_CLASSIFICATION_OUT_OF_BAND,
          v1::DDL_CLASSIFICATION_IGNORED}) {
      const std::string& name = EnumLabel(classification);
      const auto found = events.find(name);
      out.Add(kEvents, labels, {{"classification", name}},
              found == events.end() ? 0 : static_cast<double>(found->second));
    }
    out.Add(kInWindow, labels, static_cast<double>(ddl.out_of_band_in_window()));
  }
  if (ddl.has_capture_failures())
    out.Add(kCaptureFailures, labels, static_cast<double>(ddl.capture_failures()));
  if (ddl.has_last_out_of_band_at()) out.Add(kLastOutOfBand, labels, UnixSeconds(ddl.last_out_of_band_at()));
}

}  // namespace pgposture
