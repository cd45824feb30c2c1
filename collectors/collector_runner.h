// Runs a list of collectors and keeps their failures apart.
#pragma once

#include "collectors/registry.h"

namespace pgposture {

/// Runs `collectors` in order over `session`. A collector that fails (a query
/// error, a missing privilege) becomes a CollectorError in
/// posture.collection and the others still run. When the session is no
/// longer open after a failure, the exception propagates instead: nothing
/// more can be read over it.
void RunCollectors(Collectors& collectors, Session& session, v1::DatabasePosture& posture);

}  // namespace pgposture
