#include "agent/collect/discovery.h"

namespace pgposture {

std::vector<std::string> DiscoverDatabases(Session& session) {
  const pqxx::result result = session.Query(
      "SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname");
  std::vector<std::string> names;
  names.reserve(result.size());
  for (const pqxx::row& row : result) names.emplace_back(row[0].c_str());
  return names;
}

}  // namespace pgposture
