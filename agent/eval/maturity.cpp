#include "agent/eval/maturity.h"

#include <algorithm>
#include <cctype>

namespace pgposture {
namespace {

constexpr const char* kPrefix = "MATURITY_LEVEL_";

}  // namespace

std::optional<v1::MaturityLevel> ParseMaturityLevel(const std::string& name) {
  std::string upper = kPrefix;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  v1::MaturityLevel level;
  if (!v1::MaturityLevel_Parse(upper, &level) || level == v1::MATURITY_LEVEL_UNSPECIFIED) {
    return std::nullopt;
  }
  return level;
}

std::string MaturityLevelName(v1::MaturityLevel level) {
  std::string name = v1::MaturityLevel_Name(level).substr(std::char_traits<char>::length(kPrefix));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

}  // namespace pgposture
