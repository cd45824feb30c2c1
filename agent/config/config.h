// The agent's configuration, as loaded and validated from YAML.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pgposture {

/// Collection schedule and limits (`agent:` section).
struct AgentSettings {
  std::chrono::milliseconds interval{std::chrono::seconds(30)};
  /// Per database per cycle: connect, queries and all.
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  /// Databases collected at once.
  int concurrency = 8;
  /// spdlog level name: trace, debug, info, warn, error, critical, off.
  std::string log_level = "info";
};

/// Where the agent listens (`listen:` section), "host:port".
struct ListenSettings {
  std::string metrics = "127.0.0.1:9932";
  std::string grpc = "127.0.0.1:9933";
};

/// How DDL events are told apart from migrations (`policy.ddl`).
struct DdlPolicy {
  std::vector<std::string> migration_roles;
  std::vector<std::string> migration_client_cidrs;
  /// ECMAScript regular expressions matched against application_name.
  std::vector<std::string> migration_application_names;
  std::chrono::milliseconds window{std::chrono::hours(24 * 7)};
};

/// `policy:` section.
struct Policy {
  DdlPolicy ddl;
  /// Required maturity level per environment name ("prototyping",
  /// "collaborating", "production", "enterprise").
  std::map<std::string, std::string> required_levels{
      {"local", "prototyping"}, {"staging", "collaborating"}, {"prod", "production"}};
};

/// One audited cluster (`targets:` item).
struct TargetConfig {
  std::string name;
  /// libpq key=value string or URI, without a password.
  std::string dsn;
  /// File holding the password; empty when libpq finds it itself (.pgpass,
  /// peer).
  std::string password_file;
  /// local, staging or prod.
  std::string environment = "local";
  std::map<std::string, std::string> labels;
  /// True for `databases: all`: every connectable non-template database,
  /// discovered each cycle. Otherwise `databases` lists them; an empty list
  /// means the DSN's own database.
  bool all_databases = false;
  std::vector<std::string> databases;
};

struct Config {
  /// Path the configuration was read from, for messages.
  std::string path;
  AgentSettings agent;
  ListenSettings listen;
  Policy policy;
  std::vector<TargetConfig> targets;
};

}  // namespace pgposture
