// `pgposture install` and `pgposture uninstall`.
#include <iostream>
#include <pqxx/pqxx>

#include "agent/cli/commands.h"
#include "agent/install/installer.h"
#include "agent/report/one_line.h"
#include "collectors/conninfo.h"

namespace pgposture {
namespace {

constexpr const char* kApplicationName = "pgposture install";

// The databases to act on: the DSN's own, or every connectable one.
std::vector<std::string> Databases(const std::string& dsn, bool all_databases) {
  if (!all_databases) return {""};
  pqxx::connection connection(ConnInfoWith(dsn, {{"application_name", kApplicationName}}));
  pqxx::nontransaction transaction(connection);
  std::vector<std::string> names;
  for (const pqxx::row& row : transaction.exec("SELECT datname FROM pg_catalog.pg_database WHERE "
                                               "datallowconn AND NOT datistemplate ORDER BY 1")) {
    names.push_back(row[0].as<std::string>());
  }
  return names;
}

std::string ConnInfoFor(const std::string& dsn, const std::string& database) {
  std::map<std::string, std::string> overrides{{"application_name", kApplicationName}};
  if (!database.empty()) overrides["dbname"] = database;
  return ConnInfoWith(dsn, overrides);
}

// Runs `action` on each database; reports failures by kind.
template <typename Action>
int ForEachDatabase(const InstallOptions& options, Action action) {
  if (const std::optional<std::string> error = ConnInfoError(options.dsn)) {
    std::cerr << "pgposture: --dsn: invalid connection string: " << *error << "\n";
    return kExitUsage;
  }
  try {
    for (const std::string& database : Databases(options.dsn, options.all_databases)) {
      action(ConnInfoFor(options.dsn, database));
    }
  } catch (const InstallError& error) {
    std::cerr << "pgposture: " << error.what() << "\n";
    return kExitChecksFailed;
  } catch (const pqxx::broken_connection& error) {
    std::cerr << "pgposture: cannot connect: " << OneLine(error.what()) << "\n";
    return kExitCollectionFailed;
  } catch (const std::exception& error) {
    std::cerr << "pgposture: " << OneLine(error.what()) << "\n";
    return kExitCollectionFailed;
  }
  return kExitOk;
}

}  // namespace

int RunInstall(const InstallOptions& options) {
  return ForEachDatabase(options, [&](const std::string& conninfo) {
    const InstallResult result = Install(conninfo, options.agent_role, options.history_tables);
    std::cout << "database " << result.database << ": pgposture objects version " << result.version;
    if (result.previous_version == 0) {
      std::cout << " installed";
    } else if (result.previous_version == result.version) {
      std::cout << " already installed, checked";
    } else {
      std::cout << " installed over version " << result.previous_version;
    }
    std::cout << ", agent role " << options.agent_role << "\n";
  });
}

int RunUninstall(const InstallOptions& options) {
  return ForEachDatabase(options, [&](const std::string& conninfo) {
    const UninstallResult result = Uninstall(conninfo);
    std::cout << "database " << result.database << ": "
              << (result.removed ? "pgposture objects removed" : "nothing installed") << "\n";
  });
}

}  // namespace pgposture
