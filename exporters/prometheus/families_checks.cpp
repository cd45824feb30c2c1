// Evaluated checks and the maturity level they add up to.
#include "exporters/prometheus/families.h"

namespace pgposture {
namespace {

using prometheus::MetricType;

constexpr FamilySpec kCheckStatus{
    "pgposture_check_status", MetricType::Gauge,
    "Outcome of a check for the database: 1 pass, 0 fail, -1 unknown (its facts were not collected)."};
constexpr FamilySpec kMaturity{
    "pgposture_maturity_level", MetricType::Gauge,
    "Maturity level reached: 1 prototyping, 2 collaborating, 3 production, 4 enterprise."};
constexpr FamilySpec kRequired{
    "pgposture_required_maturity_level", MetricType::Gauge,
    "Maturity level the database's environment requires, numbered as pgposture_maturity_level."};

double StatusValue(v1::CheckStatus status) {
  switch (status) {
    case v1::CHECK_STATUS_PASS:
      return 1;
    case v1::CHECK_STATUS_FAIL:
      return 0;
    default:
      return -1;
  }
}

}  // namespace

void AddCheckFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out) {
  for (const v1::Finding& finding : facts.findings()) {
    out.Add(kCheckStatus, labels,
            {{"check", finding.check_id()},
             {"severity", EnumLabel(finding.severity())},
             {"level", EnumLabel(finding.level())}},
            StatusValue(finding.status()));
  }
  if (facts.maturity_level() != v1::MATURITY_LEVEL_UNSPECIFIED) {
    out.Add(kMaturity, labels, facts.maturity_level());
  }
  if (facts.required_level() != v1::MATURITY_LEVEL_UNSPECIFIED) {
    out.Add(kRequired, labels, facts.required_level());
  }
}

}  // namespace pgposture
