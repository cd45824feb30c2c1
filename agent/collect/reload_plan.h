// What a configuration reload keeps.
#pragma once

#include "agent/config/config.h"
#include "collectors/collector_options.h"

namespace pgposture {

/// True when a target's settings are unchanged, so its sessions, DDL
/// cursors and role inventory carry over a reload. Compares every field:
/// a field added to TargetConfig must be added here.
bool SameTarget(const TargetConfig& a, const TargetConfig& b);

/// The same for the collector settings derived from the configuration.
bool SameOptions(const CollectorOptions& a, const CollectorOptions& b);

/// True when the listeners (addresses, TLS and token files) are unchanged;
/// they are set up once, so a reload cannot apply a change to them.
bool SameListeners(const ListenSettings& a, const ListenSettings& b);

}  // namespace pgposture
