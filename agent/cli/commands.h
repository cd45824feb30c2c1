// The subcommands behind the command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pgposture {

inline constexpr int kExitOk = 0;
inline constexpr int kExitChecksFailed = 1;
inline constexpr int kExitCollectionFailed = 2;
inline constexpr int kExitUsage = 64;  // EX_USAGE

struct CheckOptions {
  std::string config_path;
  std::string dsn;
  bool all_databases = false;
  std::string format = "text";
  /// Overrides every environment's required level.
  std::optional<std::string> require;
  /// Overrides agent.shard ("i/n").
  std::optional<std::string> shard;
};

struct InstallOptions {
  std::string dsn;
  std::string agent_role = "pgposture";
  bool all_databases = false;
  /// Migration-history tables beyond the known tools', "schema.table".
  std::vector<std::string> history_tables;
};

/// Creates or upgrades pgposture's objects; 0 done, 1 refused, 2 cannot connect.
int RunInstall(const InstallOptions& options);
/// Removes them; exit codes as RunInstall.
int RunUninstall(const InstallOptions& options);

/// One collection cycle, a report on stdout; exit code per RunCli().
int RunCheck(const CheckOptions& options);

/// The daemon: collects on schedule and serves the metrics endpoint until
/// SIGTERM or SIGINT.
int RunDaemon(const std::string& config_path, const std::optional<std::string>& log_level,
              const std::optional<std::string>& shard);

}  // namespace pgposture
