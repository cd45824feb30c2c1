// Findings and maturity level of one database.
#pragma once

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// Runs every check of the catalog against `facts` (the merged posture) and
/// writes the findings, the maturity level reached and `required` into `out`.
void Evaluate(const v1::DatabasePosture& facts, v1::MaturityLevel required, v1::DatabasePosture& out);

/// The highest level whose checks, and all lower levels' checks, pass.
v1::MaturityLevel MaturityOf(const v1::DatabasePosture& evaluated);

}  // namespace pgposture
