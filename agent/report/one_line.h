// Messages from libpq and the server span lines; logs, metrics and reports
// want one.
#pragma once

#include <string>

namespace pgposture {

/// `text` with line breaks and tabs turned into spaces, trailing space cut.
std::string OneLine(std::string text);

}  // namespace pgposture
