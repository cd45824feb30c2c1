#include "exporters/prometheus/text_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace pgposture {
namespace {

// Room for a formatted double ("-1.2345678901234567e-308") and the line end.
constexpr size_t kValueRoom = 32;

// Doubles hold every integer below 2^53 exactly.
constexpr double kExactIntegers = 9007199254740992.0;

constexpr bool NeedsEscape(char c) { return c == '\\' || c == '"' || c == '\n'; }

// Appends into a buffer sized ahead of each line: a line is a dozen short
// pieces, and std::string::append's bookkeeping per piece was most of the
// cost at 100 databases.
class Writer {
 public:
  /// Makes room for `bytes` more.
  void Reserve(size_t bytes) {
    if (buffer_.size() - size_ < bytes) buffer_.resize(std::max(2 * buffer_.size(), size_ + bytes));
  }
  void Put(std::string_view text) {
    std::memcpy(&buffer_[size_], text.data(), text.size());
    size_ += text.size();
  }
  void Put(char c) { buffer_[size_++] = c; }
  void PutLabelValue(const std::string& value) {
    if (std::none_of(value.begin(), value.end(), [](char c) { return NeedsEscape(c); })) {
      Put(value);
      return;
    }
    for (char c : value) {
      if (NeedsEscape(c)) Put('\\');
      Put(c == '\n' ? 'n' : c);
    }
  }
  void PutValue(double value) {
    if (std::isnan(value)) {
      Put("NaN");
    } else if (std::isinf(value)) {
      Put(value < 0 ? "-Inf" : "+Inf");
    } else if (std::trunc(value) == value && std::fabs(value) < kExactIntegers) {
      // Counts, bytes and whole-second timestamps, digit for digit (the
      // shortest form would write 1700000000 as 1.7e+09).
      const auto integer = static_cast<int64_t>(value);
      size_ = std::to_chars(&buffer_[size_], &buffer_[size_] + kValueRoom, integer).ptr - buffer_.data();
    } else {
      size_ = std::to_chars(&buffer_[size_], &buffer_[size_] + kValueRoom, value).ptr - buffer_.data();
    }
  }
  std::string Take() && {
    buffer_.resize(size_);
    return std::move(buffer_);
  }

 private:
  std::string buffer_;
  size_t size_ = 0;
};

// The most a sample line can take: every label value escaped in full.
size_t LineBound(const prometheus::MetricFamily& family, const prometheus::ClientMetric& metric) {
  size_t bound = family.name.size() + 2 + kValueRoom;
  for (const auto& label : metric.label) bound += label.name.size() + 2 * label.value.size() + 4;
  return bound;
}

}  // namespace

std::string SerializeText(const std::vector<prometheus::MetricFamily>& families) {
  Writer out;
  for (const prometheus::MetricFamily& family : families) {
    const std::string_view type = family.type == prometheus::MetricType::Counter ? "counter" : "gauge";
    out.Reserve(2 * family.name.size() + family.help.size() + type.size() + 20);
    out.Put("# HELP ");
    out.Put(family.name);
    out.Put(' ');
    out.Put(family.help);
    out.Put("\n# TYPE ");
    out.Put(family.name);
    out.Put(' ');
    out.Put(type);
    out.Put('\n');
    const bool counter = family.type == prometheus::MetricType::Counter;
    for (const prometheus::ClientMetric& metric : family.metric) {
      out.Reserve(LineBound(family, metric));
      out.Put(family.name);
      char separator = '{';
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        out.Put(separator);
        out.Put(label.name);
        out.Put("=\"");
        out.PutLabelValue(label.value);
        out.Put('"');
        separator = ',';
      }
      if (!metric.label.empty()) out.Put('}');
      out.Put(' ');
      out.PutValue(counter ? metric.counter.value : metric.gauge.value);
      out.Put('\n');
    }
  }
  return std::move(out).Take();
}

}  // namespace pgposture
