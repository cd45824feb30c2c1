#include "agent/cli/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "agent/cli/commands.h"
#include "agent/cli/query_command.h"
#include "agent/config/shard.h"
#include "agent/version.h"

namespace pgposture {
namespace {

std::string VersionLine() { return std::string("pgposture ") + kVersion + " (" + kGitRevision + ")"; }

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{"pgposture: audits the production posture of PostgreSQL databases"};
  app.set_version_flag("--version", VersionLine());
  app.require_subcommand(1);
  const CLI::Validator shard_format(
      [](std::string& value) { return ParseShard(value) ? std::string() : "expected i/n with 0 <= i < n"; },
      "i/n", "shard");

  std::string run_config;
  std::optional<std::string> run_log_level;
  CLI::App* run = app.add_subcommand("run", "Run the agent: collect on schedule and serve metrics");
  run->add_option("--config", run_config, "Configuration file (YAML)")->required()->check(CLI::ExistingFile);
  run->add_option("--log-level", run_log_level, "Overrides agent.log_level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  std::optional<std::string> run_shard;
  run->add_option("--shard", run_shard, "Audit only shard i of n of the targets (overrides agent.shard)")
      ->check(shard_format);

  CheckOptions check_options;
  CLI::App* check =
      app.add_subcommand("check", "Collect once, print a report; exit 1 when required checks fail");
  auto* config_option = check->add_option("--config", check_options.config_path, "Configuration file (YAML)");
  auto* dsn_option =
      check->add_option("--dsn", check_options.dsn, "libpq connection string or URI of one cluster");
  config_option->excludes(dsn_option);
  check
      ->add_flag("--all-databases", check_options.all_databases,
                 "With --dsn: every connectable database, not only the DSN's")
      ->needs(dsn_option);
  check->add_option("--format", check_options.format, "Report format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  check
      ->add_option("--require", check_options.require, "Required maturity level for every database (CI gate)")
      ->check(CLI::IsMember({"prototyping", "collaborating", "production", "enterprise"}));
  check
      ->add_option("--shard", check_options.shard, "Only shard i of n of the targets (overrides agent.shard)")
      ->check(shard_format);

  InstallOptions install_options;
  CLI::App* install =
      app.add_subcommand("install", "Create or upgrade pgposture's objects in a database (as a superuser)");
  CLI::App* uninstall = app.add_subcommand("uninstall", "Remove pgposture's objects from a database");
  for (CLI::App* command : {install, uninstall}) {
    command->add_option("--dsn", install_options.dsn, "libpq connection string or URI, as a superuser")
        ->required();
    command->add_flag("--all-databases", install_options.all_databases, "Every connectable database");
  }
  install->add_option("--agent-role", install_options.agent_role, "The agent's login role")
      ->capture_default_str();
  install->add_option("--history-table", install_options.history_tables,
                      "A migration-history table of your own tool (schema.table; repeatable)");

  QueryOptions query_options;
  CLI::App* query = AddQueryCommand(app, query_options);

  app.add_subcommand("version", "Print the version and git revision");

  try {
    app.parse(argc, argv);
    if (check->parsed() && check_options.config_path.empty() && check_options.dsn.empty()) {
      throw CLI::RequiredError("check needs --config FILE or --dsn DSN");
    }
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }

  if (run->parsed()) return RunDaemon(run_config, run_log_level, run_shard);
  if (check->parsed()) return RunCheck(check_options);
  if (install->parsed()) return RunInstall(install_options);
  if (uninstall->parsed()) return RunUninstall(install_options);
  if (query->parsed()) return RunQuery(query_options);
  std::cout << VersionLine() << "\n";
  return kExitOk;
}

}  // namespace pgposture
