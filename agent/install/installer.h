// `pgposture install` / `uninstall`: the objects the agent needs in a database.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace pgposture {

/// Why install or uninstall refused, with what to do about it.
class InstallError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct InstallResult {
  std::string database;
  /// Version found before (0: not installed).
  int previous_version = 0;
  int version = 0;
};

/// Creates or upgrades schema pgposture in the database `conninfo` reaches,
/// in one transaction, and grants `agent_role` what it needs. Idempotent:
/// applying it again leaves the database as it was. Needs a superuser: event
/// triggers and functions reading pg_authid must belong to one. Throws
/// InstallError (refusals) or pqxx exceptions. `history_tables` names
/// migration-history tables beyond the known tools' ("schema.table", or
/// "table" in any schema): writes to them mark a transaction as a migration.
InstallResult Install(const std::string& conninfo, const std::string& agent_role,
                      const std::vector<std::string>& history_tables = {});

struct UninstallResult {
  std::string database;
  /// False when nothing was installed.
  bool removed = false;
};

/// Drops schema pgposture and everything in it (functions, event triggers,
/// captured events). Idempotent.
UninstallResult Uninstall(const std::string& conninfo);

}  // namespace pgposture
