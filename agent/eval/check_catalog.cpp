#include "agent/eval/check_catalog.h"

#include <algorithm>

#include "agent/eval/checks_area.h"

namespace pgposture {

const std::vector<Check>& CheckCatalog() {
  static const std::vector<Check> catalog = [] {
    std::vector<Check> checks;
    AddChangeManagementChecks(checks);
    AddPgauditChecks(checks);
    AddRolesChecks(checks);
    AddNetworkChecks(checks);
    AddBackupChecks(checks);
    AddEnvironmentFlowChecks(checks);
    std::stable_sort(checks.begin(), checks.end(), [](const Check& a, const Check& b) {
      return a.level != b.level ? a.level < b.level : a.id < b.id;
    });
    return checks;
  }();
  return catalog;
}

}  // namespace pgposture
