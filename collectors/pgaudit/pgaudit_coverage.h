// Which login roles' statements pgaudit really logs in one database.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

struct LoginRole {
  std::string name;
  bool superuser = false;
};

/// What the coverage of a database is computed from.
struct CoverageInputs {
  /// pgaudit is in shared_preload_libraries; when false nothing is logged.
  bool loaded = false;
  std::string database;
  /// The role the agent logged in as.
  std::string agent_role;
  /// pgaudit.log as the agent's own session sees it (nullopt when unset).
  std::optional<std::string> agent_session_log;
  /// `pgaudit.*` overrides applying in `database` (role "" = all roles,
  /// database "" = all databases).
  std::vector<v1::PgauditOverride> overrides;
  std::vector<LoginRole> login_roles;
};

/// Effective pgaudit.log for each login role, resolving overrides the way
/// PostgreSQL applies pg_db_role_setting at session start: role in database,
/// then role, then database, then all roles in all databases, then the
/// server's configuration. Role membership plays no part. The server's own
/// value is only known through the agent's session, so it is trusted only
/// when the agent's role carries no pgaudit.log override; otherwise roles
/// that fall through to it get an empty (unknown) coverage source.
std::vector<v1::PgauditRoleCoverage> ComputeCoverage(const CoverageInputs& inputs);

/// True when any override names the agent's own role.
bool AgentRoleHasOverrides(const CoverageInputs& inputs);

}  // namespace pgposture
