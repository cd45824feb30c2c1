#include "collectors/conninfo_error.h"

#include <array>
#include <cctype>
#include <optional>
#include <string_view>

namespace pgposture {
namespace {

// libpq 15's messages for a connection string PQconninfoParse rejects
// (fe-connect.c), with their placeholders spelled {text} (a part of the
// string, always the last placeholder), {char} (one byte of it) and
// {number}. Matching the whole message against them, instead of looking
// for quotes in it, is what keeps a quoted URI that itself holds quotes
// from shifting which parts look quoted.
constexpr std::array<std::string_view, 12> kMessages{
    R"(missing "=" after "{text}" in connection info string)",
    R"(invalid connection option "{text}")",
    R"(unterminated quoted string in connection info string)",
    R"(invalid percent-encoded token: "{text}")",
    R"(forbidden value %00 in percent-encoded value: "{text}")",
    R"(invalid URI propagated to internal parser routine: "{text}")",
    R"(end of string reached when looking for matching "]" in IPv6 host address in URI: "{text}")",
    R"(IPv6 host address may not be empty in URI: "{text}")",
    R"(unexpected character "{char}" at position {number} in URI (expected ":" or "/"): "{text}")",
    R"(extra key/value separator "=" in URI query parameter: "{text}")",
    R"(missing key/value separator "=" in URI query parameter: "{text}")",
    R"(invalid URI query parameter: "{text}")",
};

constexpr std::string_view kText = "{text}";
constexpr std::string_view kChar = "{char}";
constexpr std::string_view kNumber = "{number}";
constexpr std::string_view kWithheld = "(a part not shown: it may hold a password)";

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// A quoted part worth showing: a single character, or a keyword, which
// stands at the start of a word before a "=" in `dsn`. Anything else may be
// a piece of a password.
bool Shown(std::string_view quoted, const std::string& dsn) {
  if (quoted.size() == 1) return true;
  if (quoted.empty()) return false;
  for (std::size_t at = dsn.find(quoted); at != std::string::npos; at = dsn.find(quoted, at + 1)) {
    const std::size_t after = dsn.find_first_not_of(' ', at + quoted.size());
    const bool starts_word = at == 0 || dsn[at - 1] == ' ' || dsn[at - 1] == '?' || dsn[at - 1] == '&';
    if (starts_word && after != std::string::npos && dsn[after] == '=') return true;
  }
  return false;
}

// `message` as `pattern` would print it with the {text} withheld unless
// Shown, or nullopt when `message` does not have that shape.
std::optional<std::string> Rewrite(std::string_view pattern, std::string_view message,
                                   const std::string& dsn) {
  std::string shown;
  while (!pattern.empty()) {
    if (StartsWith(pattern, kText)) {
      // {text} runs to where the rest of the pattern, plain text, ends the
      // message.
      const std::string_view tail = pattern.substr(kText.size());
      if (message.size() < tail.size() || message.substr(message.size() - tail.size()) != tail)
        return std::nullopt;
      const std::string_view text = message.substr(0, message.size() - tail.size());
      shown.append(Shown(text, dsn) ? std::string(text) : std::string(kWithheld)).append(tail);
      return shown;
    }
    if (StartsWith(pattern, kChar)) {
      if (message.empty()) return std::nullopt;
      shown += message.front();
      message.remove_prefix(1);
      pattern.remove_prefix(kChar.size());
      continue;
    }
    if (StartsWith(pattern, kNumber)) {
      std::size_t digits = 0;
      while (digits < message.size() && std::isdigit(static_cast<unsigned char>(message[digits]))) ++digits;
      if (digits == 0) return std::nullopt;
      shown.append(message.substr(0, digits));
      message.remove_prefix(digits);
      pattern.remove_prefix(kNumber.size());
      continue;
    }
    if (message.empty() || message.front() != pattern.front()) return std::nullopt;
    shown += message.front();
    message.remove_prefix(1);
    pattern.remove_prefix(1);
  }
  if (!message.empty()) return std::nullopt;
  return shown;
}

}  // namespace

std::string ConnInfoParseError(const std::string& message, const std::string& dsn) {
  std::string_view trimmed = message;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.remove_suffix(1);
  for (std::string_view pattern : kMessages) {
    if (std::optional<std::string> shown = Rewrite(pattern, trimmed, dsn)) return *shown;
  }
  return "libpq rejected it (its message is not shown: it may quote a password)";
}

}  // namespace pgposture
