// ParseDuration reads agent.interval, agent.timeout and the policy windows.
// Properties: only std::invalid_argument is thrown, its message quotes the
// text (up to a NUL, where what() ends); what parses is never negative and formats to a text that parses
// back to the same duration (and formats to itself).
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "agent/config/duration.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::chrono::milliseconds duration{};
  try {
    duration = pgposture::ParseDuration(text);
  } catch (const std::invalid_argument& error) {
    FUZZ_CHECK(std::string_view(error.what()).find(text.substr(0, text.find('\0'))) !=
               std::string_view::npos);
    return 0;
  }
  FUZZ_CHECK(duration.count() >= 0);
  const std::string formatted = pgposture::FormatDuration(duration);
  FUZZ_CHECK(pgposture::ParseDuration(formatted) == duration);
  FUZZ_CHECK(pgposture::FormatDuration(pgposture::ParseDuration(formatted)) == formatted);
  return 0;
}
