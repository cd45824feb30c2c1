// What collectors are told by the agent's configuration.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace pgposture {

/// Settings collectors need from the configuration. Collectors never include
/// agent/ headers: the agent fills this from its Config (see
/// agent/collect/collector_options_from_config.cpp), one instance per target.
/// Each fact area adds the fields it needs, with a comment.
struct CollectorOptions {
  // --- ddl: how captured DDL is told apart from migrations.
  /// session_user names whose DDL counts as a migration.
  std::vector<std::string> migration_roles;
  /// Client networks (CIDR) whose DDL counts as a migration.
  std::vector<std::string> migration_client_cidrs;
  /// ECMAScript regular expressions on application_name.
  std::vector<std::string> migration_application_names;
  /// Out-of-band changes younger than this count against the database.
  std::chrono::milliseconds ddl_window{std::chrono::hours(24 * 7)};

  // --- roles: which sessions are a person's.
  /// ECMAScript regular expressions searched in application_name; a match
  /// makes a session interactive. Empty: no session is.
  std::vector<std::string> interactive_application_names;

  // --- backup: when archiving counts as PITR, and the backup tool to ask.
  /// The last archived segment must be younger than this for mode pitr.
  std::chrono::milliseconds max_archive_age{std::chrono::hours(1)};
  /// pgbackrest stanza of the target; empty: pgbackrest is not asked.
  std::string pgbackrest_stanza;
  /// How long `pgbackrest info` may run.
  std::chrono::milliseconds backup_tool_timeout{std::chrono::seconds(5)};
};

}  // namespace pgposture
