// The one list of collectors.
#pragma once

#include <memory>
#include <vector>

#include "collectors/collector.h"

namespace pgposture {

using Collectors = std::vector<std::unique_ptr<Collector>>;

/// Fresh instances of every collector of `scope`, in the order they run.
Collectors MakeCollectors(Scope scope);

}  // namespace pgposture
