// Secrets the fuzz targets look for in messages and masked strings.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

/// Whether finding `secret` in a text means it leaked, not a coincidence:
/// six or more characters mixing letters and digits (no fixed message text
/// does), and no quote, blank, "=" or backslash, so that it cannot be
/// pieced together from the end of one value and the start of the next.
/// Callers also make sure the secret appears nowhere else in the input.
inline bool IsCanary(const std::string& secret) {
  const auto has = [&](int (*kind)(int)) {
    return std::any_of(secret.begin(), secret.end(), [kind](unsigned char c) { return kind(c) != 0; });
  };
  return secret.size() >= 6 && has(std::isalpha) && has(std::isdigit) &&
         secret.find_first_of(" '\"=\\") == std::string::npos;
}
