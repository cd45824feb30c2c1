// The one list of collectors.
#pragma once

#include <memory>
#include <vector>

#include "collectors/collector.h"
#include "collectors/collector_options.h"

namespace pgposture {

using Collectors = std::vector<std::unique_ptr<Collector>>;

/// Fresh instances of every collector of `scope`, in the order they run,
/// configured by `options`.
Collectors MakeCollectors(Scope scope, const CollectorOptions& options);

}  // namespace pgposture
