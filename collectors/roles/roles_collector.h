// Cluster-wide role facts: the role inventory with password kinds, current
// sessions, interactive superuser sessions, and role changes between cycles.
#pragma once

#include <deque>
#include <optional>

#include "collectors/collector.h"
#include "collectors/collector_options.h"
#include "collectors/guarded_call.h"
#include "collectors/roles/role_diff.h"
#include "collectors/roles/sessions.h"

namespace pgposture {

/// Keeps state across cycles (one instance per target): the previous role
/// inventory to diff against, the recent changes, the interactive superuser
/// sessions already counted, and how to read the password kinds.
class RolesCollector : public Collector {
 public:
  /// Role changes kept in RolesFacts.recent_changes.
  static constexpr size_t kMaxRecentChanges = 100;

  explicit RolesCollector(const CollectorOptions& options);

  const char* name() const override { return "roles"; }
  Scope scope() const override { return Scope::kCluster; }
  TaggedQuery FirstQuery() const override;
  void Collect(Session& session, v1::DatabasePosture& posture) override;

 private:
  InteractiveClients interactive_;
  GuardedCallReader passwords_;
  /// Unset until the first successful collection: nothing to diff against.
  std::optional<RoleList> previous_roles_;
  /// Newest first.
  std::deque<v1::RoleChangeEvent> recent_changes_;
  DistinctSessionCounter interactive_superuser_sessions_;
};

}  // namespace pgposture
