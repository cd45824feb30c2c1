#include "agent/collect/discovery.h"

#include <algorithm>

namespace pgposture {

TaggedQuery DiscoveryQuery() {
  return "SELECT 'database' AS kind, datname::text AS a, NULL::text AS b, NULL::text AS c"
         " FROM pg_catalog.pg_database WHERE datallowconn AND NOT datistemplate";
}

std::vector<std::string> DiscoverDatabases(Session& session) {
  const TaggedRows rows = session.QueryRows(DiscoveryQuery());
  std::vector<std::string> names;
  names.reserve(rows.size());
  for (const TaggedRow& row : rows) {
    if (row.kind == "database" && row.a) names.push_back(*row.a);
  }
  // A part of a batch has no order of its own.
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace pgposture
