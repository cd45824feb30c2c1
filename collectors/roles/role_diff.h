// Role changes, found by comparing two role inventories: event triggers never
// fire for CREATE/ALTER/DROP ROLE, so a diff is the only way to see them.
#pragma once

#include <vector>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

using RoleList = google::protobuf::RepeatedPtrField<v1::Role>;

/// The changes from `before` to `after`, each stamped `seen_at`, ordered by
/// role name then change kind: a created or dropped role is one event; an
/// existing role gets one event per kind that changed (attributes,
/// memberships, settings, password kind, expiry). A password kind that is
/// unknown on either side is not compared. Renaming a role shows as a drop
/// and a create.
std::vector<v1::RoleChangeEvent> DiffRoles(const RoleList& before, const RoleList& after,
                                           const google::protobuf::Timestamp& seen_at);

}  // namespace pgposture
