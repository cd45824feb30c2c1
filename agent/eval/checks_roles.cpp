// Role checks: nobody works as a superuser from a SQL prompt, passwords are
// stored as SCRAM, and (enterprise) superuser and BYPASSRLS stay with the
// bootstrap role.
#include <string>

#include "agent/eval/checks_area.h"

namespace pgposture {
namespace {

constexpr const char* kNotCollected = "roles were not collected";

std::string Append(std::string list, const std::string& item) {
  return list.empty() ? item : list + ", " + item;
}

// A cluster always has its bootstrap role, so an empty inventory means the
// roles collector did not run or failed.
bool Collected(const v1::DatabasePosture& posture) { return posture.roles().roles_size() > 0; }

CheckOutcome InteractiveSuperuserSessions(const v1::DatabasePosture& posture) {
  const v1::RolesFacts& roles = posture.roles();
  if (!roles.has_interactive_superuser_sessions()) return Unknown(kNotCollected);
  if (roles.interactive_superuser_sessions() == 0) return Pass();
  std::string sessions;
  for (const v1::SessionGroup& group : roles.sessions()) {
    if (!group.superuser() || !group.interactive()) continue;
    sessions = Append(sessions, std::to_string(group.count()) + " of " + group.role() + " from \"" +
                                    group.application_name() + "\" at " +
                                    (group.client_addr().empty() ? "local socket" : group.client_addr()));
  }
  return Fail("interactive superuser sessions open: " + sessions);
}

CheckOutcome WeakPasswords(const v1::DatabasePosture& posture) {
  if (!Collected(posture)) return Unknown(kNotCollected);
  std::string weak;
  std::string unknown;
  for (const v1::Role& role : posture.roles().roles()) {
    if (role.password_kind() == v1::PASSWORD_KIND_MD5) weak = Append(weak, role.name() + " (md5)");
    if (role.password_kind() == v1::PASSWORD_KIND_PLAINTEXT)
      weak = Append(weak, role.name() + " (plaintext)");
    if (role.password_kind() == v1::PASSWORD_KIND_UNSPECIFIED) unknown = Append(unknown, role.name());
  }
  if (!weak.empty()) return Fail("roles with weak password hashes: " + weak);
  if (!unknown.empty()) {
    return Unknown("password kinds unreadable for roles: " + unknown +
                   " (run pgposture install in the agent's first database, which grants EXECUTE on "
                   "pgposture.role_passwords())");
  }
  return Pass();
}

CheckOutcome RolesHolding(const v1::DatabasePosture& posture, bool (v1::Role::*held)() const,
                          const std::string& what) {
  if (!Collected(posture)) return Unknown(kNotCollected);
  std::string holders;
  for (const v1::Role& role : posture.roles().roles()) {
    if ((role.*held)() && !role.bootstrap()) holders = Append(holders, role.name());
  }
  return holders.empty() ? Pass() : Fail(what + " besides the bootstrap role: " + holders);
}

}  // namespace

void AddRolesChecks(std::vector<Check>& checks) {
  checks.push_back({"roles.no_interactive_superuser_sessions",
                    "no superuser session from an interactive client (psql, IDE, dashboard)",
                    v1::SEVERITY_CRITICAL, v1::MATURITY_LEVEL_PRODUCTION,
                    "work as a role with only the privileges the task needs, and make changes through "
                    "migrations; keep the superuser's password out of people's hands (rotate it), and "
                    "end the open sessions with pg_terminate_backend(pid)",
                    InteractiveSuperuserSessions});
  checks.push_back({"roles.no_md5_or_plaintext_passwords", "every password is stored as SCRAM-SHA-256",
                    v1::SEVERITY_WARNING, v1::MATURITY_LEVEL_PRODUCTION,
                    "SET password_encryption = 'scram-sha-256' (in postgresql.conf), then set each "
                    "listed role's password again (ALTER ROLE ... PASSWORD, e.g. with psql's "
                    "\\password) so it is stored as SCRAM",
                    WeakPasswords});
  checks.push_back(
      {"roles.only_bootstrap_superuser", "no superuser besides the bootstrap role", v1::SEVERITY_WARNING,
       v1::MATURITY_LEVEL_ENTERPRISE,
       "ALTER ROLE ... NOSUPERUSER for each listed role, granting what it needs instead "
       "(predefined roles such as pg_monitor, CREATEROLE, object privileges)",
       [](const v1::DatabasePosture& p) { return RolesHolding(p, &v1::Role::superuser, "superusers"); }});
  checks.push_back({"roles.no_bypassrls", "no role bypasses row-level security besides the bootstrap role",
                    v1::SEVERITY_WARNING, v1::MATURITY_LEVEL_ENTERPRISE,
                    "ALTER ROLE ... NOBYPASSRLS for each listed role, and give it the access it needs "
                    "through row-level security policies",
                    [](const v1::DatabasePosture& p) {
                      return RolesHolding(p, &v1::Role::bypassrls, "roles with BYPASSRLS");
                    }});
}

}  // namespace pgposture
