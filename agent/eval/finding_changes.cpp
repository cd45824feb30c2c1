#include "agent/eval/finding_changes.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace pgposture {
namespace {

std::string StatusName(v1::CheckStatus status) {
  std::string name = v1::CheckStatus_Name(status).substr(sizeof("CHECK_STATUS_") - 1);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

}  // namespace

std::vector<std::string> FindingChanges(const v1::DatabasePosture& before, const v1::DatabasePosture& after) {
  std::map<std::string, v1::CheckStatus> previous;
  for (const v1::Finding& finding : before.findings()) previous[finding.check_id()] = finding.status();
  std::vector<std::string> changes;
  for (const v1::Finding& finding : after.findings()) {
    const auto old = previous.find(finding.check_id());
    if (old != previous.end() && old->second == finding.status()) continue;
    std::string line = finding.check_id() + ": " +
                       (old == previous.end() ? "none" : StatusName(old->second)) + " -> " +
                       StatusName(finding.status());
    if (!finding.detail().empty()) line += " (" + finding.detail() + ")";
    changes.push_back(std::move(line));
  }
  return changes;
}

}  // namespace pgposture
