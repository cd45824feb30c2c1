#include "agent/eval/evaluator.h"

#include "agent/eval/check_catalog.h"

namespace pgposture {

void Evaluate(const v1::DatabasePosture& facts, v1::MaturityLevel required, v1::DatabasePosture& out) {
  out.clear_findings();
  for (const Check& check : CheckCatalog()) {
    const CheckOutcome outcome = check.evaluate(facts);
    v1::Finding& finding = *out.add_findings();
    finding.set_check_id(check.id);
    finding.set_title(check.title);
    finding.set_severity(check.severity);
    finding.set_level(check.level);
    finding.set_status(outcome.status);
    finding.set_detail(outcome.detail);
    if (outcome.status != v1::CHECK_STATUS_PASS) finding.set_remediation(check.remediation);
  }
  out.set_maturity_level(MaturityOf(out));
  out.set_required_level(required);
}

v1::MaturityLevel MaturityOf(const v1::DatabasePosture& evaluated) {
  // Prototyping has no checks: every database is at least there. A level is
  // reached only when no check at or below it fails or is unknown.
  int lowest_unmet = v1::MATURITY_LEVEL_ENTERPRISE + 1;
  for (const v1::Finding& finding : evaluated.findings()) {
    if (finding.status() != v1::CHECK_STATUS_PASS && finding.level() < lowest_unmet) {
      lowest_unmet = finding.level();
    }
  }
  return static_cast<v1::MaturityLevel>(lowest_unmet - 1);
}

}  // namespace pgposture
