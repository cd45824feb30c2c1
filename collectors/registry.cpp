#include "collectors/registry.h"

#include "collectors/pgaudit/pgaudit_database_collector.h"
#include "collectors/pgaudit/pgaudit_server_collector.h"

namespace pgposture {

Collectors MakeCollectors(Scope scope) {
  Collectors all;
  // Every collector, in the order they run. Adding a fact area means adding
  // one line here.
  all.push_back(std::make_unique<PgauditServerCollector>());
  all.push_back(std::make_unique<PgauditDatabaseCollector>());

  Collectors selected;
  for (auto& collector : all) {
    if (collector->scope() == scope) selected.push_back(std::move(collector));
  }
  return selected;
}

}  // namespace pgposture
