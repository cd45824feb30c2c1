#include "agent/config/duration.h"

#include <array>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace pgposture {
namespace {

using std::chrono::milliseconds;

struct Unit {
  std::string_view name;
  std::int64_t ms;
};

// Largest first: terms must come in this order, which also makes the greedy
// split in FormatDuration the canonical one.
constexpr std::array<Unit, 6> kUnits{{
    {"w", milliseconds(std::chrono::hours(24 * 7)).count()},
    {"d", milliseconds(std::chrono::hours(24)).count()},
    {"h", milliseconds(std::chrono::hours(1)).count()},
    {"m", milliseconds(std::chrono::minutes(1)).count()},
    {"s", milliseconds(std::chrono::seconds(1)).count()},
    {"ms", 1},
}};

constexpr std::string_view kUnitHint = "; use w, d, h, m, s or ms, as in 1m30s";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::invalid_argument Invalid(std::string_view text, std::string_view reason) {
  std::string message = "invalid duration \"";
  message.append(text).append("\": ").append(reason);
  return std::invalid_argument(message);
}

}  // namespace

milliseconds ParseDuration(std::string_view text) {
  if (text.empty()) throw Invalid(text, std::string("empty").append(kUnitHint));
  if (text.front() == '-') {
    throw Invalid(text, "negative durations are not allowed");
  }
  constexpr std::int64_t kMax = std::numeric_limits<milliseconds::rep>::max();
  std::int64_t total = 0;
  // Index in kUnits of the largest unit the next term may use.
  std::size_t next_unit = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::int64_t count = 0;
    const std::size_t digits_start = pos;
    for (; pos < text.size() && IsDigit(text[pos]); ++pos) {
      const int digit = text[pos] - '0';
      if (count > (kMax - digit) / 10) throw Invalid(text, "too long");
      count = count * 10 + digit;
    }
    if (pos == digits_start) {
      throw Invalid(
          text,
          std::string("expected a number at \"").append(text.substr(pos)).append("\"").append(kUnitHint));
    }
    const std::size_t unit_start = pos;
    while (pos < text.size() && IsLetter(text[pos])) ++pos;
    const std::string_view unit_name = text.substr(unit_start, pos - unit_start);
    if (unit_name.empty()) {
      throw Invalid(text, std::string("missing unit after ")
                              .append(text.substr(digits_start, pos - digits_start))
                              .append(kUnitHint));
    }
    std::size_t unit = 0;
    while (unit < kUnits.size() && kUnits[unit].name != unit_name) ++unit;
    if (unit == kUnits.size()) {
      throw Invalid(text, std::string("unknown unit \"").append(unit_name).append("\"").append(kUnitHint));
    }
    if (unit < next_unit) {
      throw Invalid(text, "units must go from largest to smallest, each once, as in 1h30m");
    }
    next_unit = unit + 1;
    const std::int64_t factor = kUnits[unit].ms;
    if (count > (kMax - total) / factor) throw Invalid(text, "too long");
    total += count * factor;
  }
  return milliseconds(total);
}

std::string FormatDuration(milliseconds duration) {
  if (duration.count() < 0) {
    throw std::invalid_argument("negative duration cannot be formatted");
  }
  if (duration.count() == 0) return "0s";
  std::string text;
  std::int64_t rest = duration.count();
  for (const Unit& unit : kUnits) {
    if (rest >= unit.ms) {
      text.append(std::to_string(rest / unit.ms)).append(unit.name);
      rest %= unit.ms;
    }
  }
  return text;
}

}  // namespace pgposture
