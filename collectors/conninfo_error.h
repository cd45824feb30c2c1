// What libpq says about a connection string it cannot parse, made safe to
// log and show: libpq quotes whole URIs and percent-encoded values, which
// may hold a password.
#pragma once

#include <string>

namespace pgposture {

/// libpq's `message` about `dsn` with every part of `dsn` it quotes withheld,
/// but keywords and single characters. A message that is not one of
/// libpq 15's known parse errors is withheld whole.
std::string ConnInfoParseError(const std::string& message, const std::string& dsn);

}  // namespace pgposture
