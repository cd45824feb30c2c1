// `pgposture check`: one collection cycle and a report, usable as a CI gate.
#include <iostream>

#include "agent/cli/commands.h"
#include "agent/collect/scheduler.h"
#include "agent/config/config_loader.h"
#include "agent/config/shard.h"
#include "agent/logging.h"
#include "agent/report/json_report.h"
#include "agent/report/text_report.h"
#include "collectors/conninfo.h"

namespace pgposture {
namespace {

Config ConfigForDsn(const CheckOptions& options) {
  if (const std::optional<std::string> error = ConnInfoError(options.dsn)) {
    throw ConfigError("--dsn: invalid connection string: " + *error);
  }
  Config config;
  config.path = "--dsn";
  TargetConfig target;
  target.name = "cli";
  target.dsn = options.dsn;
  target.all_databases = options.all_databases;
  config.targets.push_back(target);
  return config;
}

// Exit code for the collected report; sets report.passed.
int Verdict(v1::CheckReport& report) {
  bool collection_failed = false;
  bool below_required = false;
  for (const v1::DatabasePosture& posture : report.databases()) {
    collection_failed |= posture.collection().stale();
    below_required |= posture.maturity_level() < posture.required_level();
  }
  report.set_passed(!collection_failed && !below_required);
  if (collection_failed) return kExitCollectionFailed;
  return below_required ? kExitChecksFailed : kExitOk;
}

}  // namespace

int RunCheck(const CheckOptions& options) {
  SetupLogging("warn");
  Config config;
  try {
    config = options.config_path.empty() ? ConfigForDsn(options) : LoadConfig(options.config_path);
  } catch (const ConfigError& error) {
    std::cerr << "pgposture: " << error.what() << "\n";
    return kExitConfig;
  }
  KeepOwnTargets(config, options.shard);
  if (options.require) {
    for (auto& [environment, level] : config.policy.required_levels) level = *options.require;
  }

  SnapshotStore store;
  {
    Scheduler scheduler(config, store, /*backoff=*/false);
    scheduler.RunCycle();
  }
  v1::CheckReport report;
  for (const DatabaseSnapshot& snapshot : store.List()) *report.add_databases() = MergedPosture(snapshot);
  const int exit_code = Verdict(report);
  std::cout << (options.format == "json" ? RenderJson(report) : RenderText(report));
  return exit_code;
}

}  // namespace pgposture
