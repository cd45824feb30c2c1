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
  /// plain or json.
  std::string log_format = "plain";
  /// "i/n": this agent audits shard i of n (see agent/config/shard.h).
  std::string shard = "0/1";
};

/// Where the agent listens (`listen:` section), "host:port".
struct ListenSettings {
  std::string metrics = "127.0.0.1:9932";
  std::string grpc = "127.0.0.1:9933";
  /// `listen.grpc_tls`: PEM files; empty when not set. Certificate and key
  /// turn TLS on, the client CA then requires client certificates (mTLS).
  std::string grpc_tls_cert_file;
  std::string grpc_tls_key_file;
  std::string grpc_tls_client_ca_file;
  /// `listen.grpc_auth`: files holding bearer tokens; empty when not set.
  std::string grpc_token_file;
  std::string grpc_collect_token_file;
};

/// How DDL events are told apart from migrations (`policy.ddl`).
struct DdlPolicy {
  std::vector<std::string> migration_roles;
  std::vector<std::string> migration_client_cidrs;
  /// ECMAScript regular expressions matched against application_name.
  std::vector<std::string> migration_application_names;
  std::chrono::milliseconds window{std::chrono::hours(24 * 7)};
};

/// When WAL archiving counts as point-in-time recovery (`policy.backup`).
struct BackupPolicy {
  /// The last archived WAL segment must be younger than this.
  std::chrono::milliseconds max_archive_age{std::chrono::hours(1)};
};

/// `policy:` section.
struct Policy {
  DdlPolicy ddl;
  BackupPolicy backup;
  /// ECMAScript regular expressions searched in application_name: a session
  /// that matches one is a person at a SQL prompt, IDE or dashboard. This is
  /// the one place the default list lives; the option table derives its
  /// documented default from it.
  std::vector<std::string> interactive_application_names{"^psql$",   "^pgcli$",        "^pgAdmin",
                                                         "^DBeaver", "^DataGrip",      "^TablePlus",
                                                         "^Postico", "^postgres-meta", "^supabase/dashboard"};
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
  /// pgbackrest stanza backing up this cluster; empty: pgbackrest is not
  /// asked for the last base backup.
  std::string pgbackrest_stanza;
};

struct Config {
  /// Path the configuration was read from, for messages.
  std::string path;
  AgentSettings agent;
  ListenSettings listen;
  Policy policy;
  std::vector<TargetConfig> targets;
  /// More targets, from a file a fleet tool writes; re-read when it changes.
  std::string targets_file;
};

}  // namespace pgposture
