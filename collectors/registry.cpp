#include "collectors/registry.h"

#include "collectors/backup/backup_collector.h"
#include "collectors/backup/pgbackrest_collector.h"
#include "collectors/ddl/ddl_collector.h"
#include "collectors/migrations/migrations_collector.h"
#include "collectors/network/network_collector.h"
#include "collectors/pgaudit/pgaudit_database_collector.h"
#include "collectors/pgaudit/pgaudit_server_collector.h"
#include "collectors/roles/roles_collector.h"

namespace pgposture {

Collectors MakeCollectors(Scope scope, const CollectorOptions& options) {
  Collectors all;
  // Every collector, in the order they run. Adding a fact area means adding
  // one line here.
  all.push_back(std::make_unique<PgauditServerCollector>());
  all.push_back(std::make_unique<PgauditDatabaseCollector>());
  all.push_back(std::make_unique<RolesCollector>(options));
  all.push_back(std::make_unique<NetworkCollector>());
  all.push_back(std::make_unique<DdlCollector>(options));
  all.push_back(std::make_unique<BackupCollector>(options));
  all.push_back(std::make_unique<MigrationsCollector>());
  // Last of the cluster's: it runs a command, and may take longest.
  if (!options.pgbackrest_stanza.empty()) all.push_back(std::make_unique<PgbackrestCollector>(options));

  Collectors selected;
  for (auto& collector : all) {
    if (collector->scope() == scope) selected.push_back(std::move(collector));
  }
  return selected;
}

}  // namespace pgposture
