// The SQL that `pgposture install` applies, embedded from agent/install/sql.
#pragma once

#include <string>
#include <vector>

namespace pgposture {

struct InstallSqlFile {
  std::string name;
  std::string sql;
};

/// Every install SQL file, in the order it is applied. The files use the
/// transaction-local setting pgposture.agent_role for the agent role's name.
const std::vector<InstallSqlFile>& InstallSqlFiles();

/// Version of the objects the SQL files create; raise it whenever they change.
inline constexpr int kInstallVersion = 2;

}  // namespace pgposture
