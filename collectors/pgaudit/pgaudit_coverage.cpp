#include "collectors/pgaudit/pgaudit_coverage.h"

#include "collectors/pgaudit/pgaudit_log.h"

namespace pgposture {
namespace {

constexpr const char* kLogSetting = "pgaudit.log";

const v1::PgauditOverride* FindLogOverride(const CoverageInputs& inputs, const std::string& role,
                                           const std::string& database) {
  for (const v1::PgauditOverride& override_row : inputs.overrides) {
    if (override_row.setting() == kLogSetting && override_row.role() == role &&
        override_row.database() == database) {
      return &override_row;
    }
  }
  return nullptr;
}

struct Resolved {
  v1::PgauditSource source = v1::PGAUDIT_SOURCE_UNSPECIFIED;
  std::optional<std::string> value;
};

// The value a new session of `role` gets, most specific level first.
Resolved ResolveLog(const CoverageInputs& inputs, const std::string& role, bool trust_session) {
  const struct {
    std::string role;
    std::string database;
    v1::PgauditSource source;
  } levels[] = {
      {role, inputs.database, v1::PGAUDIT_SOURCE_DATABASE_ROLE},
      {role, "", v1::PGAUDIT_SOURCE_ROLE},
      {"", inputs.database, v1::PGAUDIT_SOURCE_DATABASE},
      {"", "", v1::PGAUDIT_SOURCE_SERVER},
  };
  for (const auto& level : levels) {
    if (const v1::PgauditOverride* found = FindLogOverride(inputs, level.role, level.database)) {
      return {level.source, found->value()};
    }
  }
  if (!trust_session) return {};
  return {v1::PGAUDIT_SOURCE_SERVER, inputs.agent_session_log.value_or("")};
}

}  // namespace

bool AgentRoleHasOverrides(const CoverageInputs& inputs) {
  for (const v1::PgauditOverride& override_row : inputs.overrides) {
    if (override_row.role() == inputs.agent_role) return true;
  }
  return false;
}

std::vector<v1::PgauditRoleCoverage> ComputeCoverage(const CoverageInputs& inputs) {
  const bool trust_session = FindLogOverride(inputs, inputs.agent_role, inputs.database) == nullptr &&
                             FindLogOverride(inputs, inputs.agent_role, "") == nullptr;
  std::vector<v1::PgauditRoleCoverage> coverage;
  coverage.reserve(inputs.login_roles.size());
  for (const LoginRole& role : inputs.login_roles) {
    v1::PgauditRoleCoverage& entry = coverage.emplace_back();
    entry.set_role(role.name);
    entry.set_superuser(role.superuser);
    const Resolved resolved = ResolveLog(inputs, role.name, trust_session);
    entry.set_source(resolved.source);
    if (!resolved.value) continue;
    *entry.mutable_log() = ParsePgauditLog(*resolved.value);
    // Without the library loaded the setting is an inert placeholder.
    if (!inputs.loaded) continue;
    entry.set_ddl_audited(LogsClass(entry.log(), v1::PGAUDIT_CLASS_DDL));
    entry.set_role_audited(LogsClass(entry.log(), v1::PGAUDIT_CLASS_ROLE));
    entry.set_write_audited(LogsClass(entry.log(), v1::PGAUDIT_CLASS_WRITE));
  }
  return coverage;
}

}  // namespace pgposture
