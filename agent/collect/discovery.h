// Which databases of a cluster `databases: all` means.
#pragma once

#include <string>
#include <vector>

#include "collectors/session.h"

namespace pgposture {

/// Every database that accepts connections and is not a template, by name.
std::vector<std::string> DiscoverDatabases(Session& session);

}  // namespace pgposture
