// Runs lists of collectors and keeps their failures apart.
#pragma once

#include <initializer_list>
#include <vector>

#include "collectors/registry.h"

namespace pgposture {

/// Collectors of one scope and the posture they fill.
struct CollectorGroup {
  Collectors& collectors;
  v1::DatabasePosture& posture;
};

/// Runs the collectors of `groups` in order over `session`, after sending
/// all of their first statements in one round trip, with `along`: statements
/// the caller reads next (Session::QueryRows), so that they cost none. A
/// collector that fails (a query error, a missing privilege) becomes a
/// CollectorError in its posture's collection and the others still run.
/// When the session is no longer open after a failure, the exception
/// propagates instead: nothing more can be read over it.
void RunCollectors(std::initializer_list<CollectorGroup> groups, Session& session,
                   std::vector<TaggedQuery> along = {});

}  // namespace pgposture
