#include "agent/collect/collector_options_from_config.h"

namespace pgposture {

CollectorOptions CollectorOptionsFor(const Config& config, const TargetConfig& target) {
  CollectorOptions options;
  options.migration_roles = config.policy.ddl.migration_roles;
  options.migration_client_cidrs = config.policy.ddl.migration_client_cidrs;
  options.migration_application_names = config.policy.ddl.migration_application_names;
  options.ddl_window = config.policy.ddl.window;
  options.interactive_application_names = config.policy.interactive_application_names;
  options.max_archive_age = config.policy.backup.max_archive_age;
  options.pgbackrest_stanza = target.pgbackrest_stanza;
  // Half: pgbackrest runs within the primary database's deadline, and the
  // queries after it need the rest.
  options.backup_tool_timeout = config.agent.timeout / 2;
  return options;
}

}  // namespace pgposture
