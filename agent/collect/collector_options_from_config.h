// The part of the configuration collectors see.
#pragma once

#include "agent/config/config.h"
#include "collectors/collector_options.h"

namespace pgposture {

/// Collector settings for `target` under `config`.
CollectorOptions CollectorOptionsFor(const Config& config, const TargetConfig& target);

}  // namespace pgposture
