// Prometheus-style durations ("500ms", "1m30s", "7d") in the configuration.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace pgposture {

/// Reads one or more `<integer><unit>` terms, units w, d, h, m, s and ms, from
/// the largest unit to the smallest and each at most once, as Prometheus does
/// ("1m30s", "7d", "0s"). Throws std::invalid_argument, with a message quoting
/// `text` and saying what is wrong, on anything else: empty, negative, a
/// number without a unit, an unknown or repeated unit, or a value that does
/// not fit in std::chrono::milliseconds.
std::chrono::milliseconds ParseDuration(std::string_view text);

/// The text ParseDuration reads back as `duration`, in the form Prometheus
/// prints: largest units first, zero terms left out ("1m30s", "1w", "0s").
/// Throws std::invalid_argument when `duration` is negative.
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace pgposture
