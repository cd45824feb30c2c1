// Which databases of a cluster `databases: all` means.
#pragma once

#include <string>
#include <vector>

#include "collectors/session.h"
#include "collectors/tagged_rows.h"

namespace pgposture {

/// The statement DiscoverDatabases reads, in tagged rows so that it can go
/// in the same round trip as the collectors' (RunCollectors' `along`).
TaggedQuery DiscoveryQuery();

/// Every database that accepts connections and is not a template, by name
/// in byte order (as PostgreSQL orders names).
std::vector<std::string> DiscoverDatabases(Session& session);

}  // namespace pgposture
