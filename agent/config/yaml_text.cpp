#include "agent/config/yaml_text.h"

#include <cstdint>
#include <cstdio>

namespace pgposture {
namespace {

std::string ByteName(unsigned char byte) {
  char name[8];
  std::snprintf(name, sizeof name, "0x%02X", static_cast<unsigned>(byte));
  return name;
}

std::string CodePointName(std::uint32_t code_point) {
  char name[16];
  std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(code_point));
  return name;
}

// The length of the UTF-8 sequence `lead` starts and the bits it holds;
// length 0 for a byte that cannot start one.
std::size_t SequenceLength(unsigned char lead, std::uint32_t& code_point) {
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    code_point = lead & 0x1Fu;
    return 2;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    code_point = lead & 0x0Fu;
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    code_point = lead & 0x07u;
    return 4;
  }
  return 0;
}

// The code point of the UTF-8 sequence at `at`, or nullopt when it is
// invalid, truncated, overlong or a surrogate; sets `length`.
std::optional<std::uint32_t> Decode(std::string_view text, std::size_t at, std::size_t& length) {
  std::uint32_t code_point = 0;
  length = SequenceLength(static_cast<unsigned char>(text[at]), code_point);
  if (length == 0 || at + length > text.size()) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[at + i]);
    if ((byte & 0xC0u) != 0x80u) return std::nullopt;
    code_point = (code_point << 6) | (byte & 0x3Fu);
  }
  constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  const bool overlong = code_point < kSmallest[length];
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (overlong || surrogate || code_point > 0x10FFFF) return std::nullopt;
  return code_point;
}

// YAML 1.2's c-printable, less what it allows only for JSON compatibility.
bool Printable(std::uint32_t c) {
  if (c == '\t' || c == '\n' || c == '\r') return true;
  if (c < 0x20 || c == 0x7F) return false;
  if (c >= 0x80 && c <= 0x9F) return c == 0x85;
  return c != 0xFFFE && c != 0xFFFF;
}

}  // namespace

std::optional<TextProblem> FindTextProblem(std::string_view text) {
  std::size_t line = 0;
  std::size_t column = 0;
  std::size_t length = 0;
  for (std::size_t at = 0; at < text.size(); at += length) {
    const std::optional<std::uint32_t> code_point = Decode(text, at, length);
    if (!code_point) {
      return TextProblem{
          line, column,
          "byte " + ByteName(static_cast<unsigned char>(text[at])) + " is not UTF-8; save the file as UTF-8"};
    }
    if (!Printable(*code_point)) {
      return TextProblem{line, column,
                         "control character " + CodePointName(*code_point) +
                             " is not allowed in YAML; is this a binary file?"};
    }
    if (*code_point == '\n') {
      ++line;
      column = 0;
    } else {
      ++column;
    }
  }
  return std::nullopt;
}

bool IndentedWithTab(std::string_view text, std::size_t line) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < line && start != std::string_view::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos) return false;
  const std::size_t indent_end = text.find_first_not_of(" \t", start);
  const std::string_view indent = text.substr(start, indent_end - start);
  return indent.find('\t') != std::string_view::npos;
}

}  // namespace pgposture
