// The character set YAML allows, checked before the YAML library sees the
// text: it would pass invalid UTF-8 through into names, labels and protobuf
// strings, and words a binary file's NUL bytes as an escape problem.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pgposture {

/// Where a file stops being YAML text, and why.
struct TextProblem {
  std::size_t line = 0;    // 0-based, like YAML::Mark
  std::size_t column = 0;  // 0-based, in characters
  std::string what;
};

/// The first byte of `text` that is not UTF-8 or is a control character
/// YAML forbids (all but tab, line feed and carriage return), or nullopt.
std::optional<TextProblem> FindTextProblem(std::string_view text);

/// True when line `line` (0-based) of `text` is indented with a tab, which
/// YAML forbids and its parser reports as an unrelated syntax error.
bool IndentedWithTab(std::string_view text, std::size_t line);

}  // namespace pgposture
