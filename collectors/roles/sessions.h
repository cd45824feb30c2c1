// Current sessions: which are interactive, grouped for the facts, and the
// interactive superuser sessions counted once each.
#pragma once

#include <cstdint>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "collectors/roles/roles_rows.h"

namespace pgposture {

/// Tells a person's session (psql, an IDE, a dashboard) from an
/// application's, by its application_name.
class InteractiveClients {
 public:
  /// ECMAScript regular expressions, searched anywhere in application_name.
  /// Throws std::regex_error for an invalid one (the configuration loader
  /// has refused those already).
  explicit InteractiveClients(const std::vector<std::string>& patterns);

  bool Matches(const std::string& application_name) const;

 private:
  std::vector<std::regex> patterns_;
};

/// Groups `sessions` by role, application and client address into
/// facts.sessions (sorted), marks superusers from facts.roles and interactive
/// clients, and sets facts.interactive_superuser_sessions. Returns the keys
/// of the interactive superuser sessions.
std::vector<std::string> GroupSessions(const std::vector<SessionRow>& sessions,
                                       const InteractiveClients& interactive, v1::RolesFacts& facts);

/// Counts distinct sessions across collections: a session is counted the
/// first time it is seen, never again while it lasts, however many
/// collections see it.
class DistinctSessionCounter {
 public:
  /// Counts the keys of `matching` not counted before. Keys of sessions that
  /// are gone (not in `present`) are forgotten: a backend pid and start time
  /// never come back.
  void Observe(const std::vector<std::string>& matching, const std::vector<SessionRow>& present);

  std::int64_t total() const { return total_; }

 private:
  std::set<std::string> counted_;
  std::int64_t total_ = 0;
};

}  // namespace pgposture
