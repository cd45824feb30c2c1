// The Prometheus text exposition format (version 0.0.4) of the families
// pgposture renders.
#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <vector>

namespace pgposture {

/// The exposition of gauge and counter families (the only types rendered):
/// the lines prometheus::TextSerializer writes for them, at a fraction of its
/// cost (it streams character by character through an ostream, which was
/// three quarters of a scrape at 100 databases). Integers are written digit
/// for digit, other numbers in their shortest round-trip form, both by
/// std::to_chars, so no locale applies.
std::string SerializeText(const std::vector<prometheus::MetricFamily>& families);

}  // namespace pgposture
