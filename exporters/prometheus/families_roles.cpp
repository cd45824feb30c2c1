// Roles: attributes and password kinds as counts, interactive superuser
// sessions. Cluster-scoped; no role name, client address or application
// becomes a label.
#include "exporters/prometheus/families.h"

namespace pgposture {
namespace {

using prometheus::MetricType;

constexpr FamilySpec kRoles{"pgposture_roles", MetricType::Gauge, "Roles in the cluster."};
constexpr FamilySpec kWithAttribute{
    "pgposture_roles_with_attribute", MetricType::Gauge,
    "Roles holding the attribute: superuser, createrole, createdb, replication, bypassrls, login."};
constexpr FamilySpec kByPasswordKind{
    "pgposture_roles_by_password_kind", MetricType::Gauge,
    "Roles by how their password is stored: none, md5, scram_sha_256, plaintext, unspecified (unreadable)."};
constexpr FamilySpec kExpired{"pgposture_login_roles_with_expired_password", MetricType::Gauge,
                              "Login roles with a password past its VALID UNTIL."};
constexpr FamilySpec kNeverExpiring{"pgposture_login_roles_with_never_expiring_password", MetricType::Gauge,
                                    "Login roles with a password and no VALID UNTIL."};
constexpr FamilySpec kPasswordEncryption{"pgposture_password_encryption_info", MetricType::Gauge,
                                         "The server's password_encryption as a label; always 1."};
constexpr FamilySpec kInteractiveSuperuser{
    "pgposture_interactive_superuser_sessions", MetricType::Gauge,
    "Superuser sessions of interactive clients (psql, IDEs, dashboards) open at the latest collection."};
constexpr FamilySpec kInteractiveSuperuserSeen{
    "pgposture_interactive_superuser_sessions_seen_total", MetricType::Counter,
    "Distinct superuser sessions of interactive clients seen since the agent started."};

struct Attribute {
  const char* name;
  bool (v1::Role::*held)() const;
};
constexpr Attribute kAttributes[] = {
    {"superuser", &v1::Role::superuser}, {"createrole", &v1::Role::createrole},
    {"createdb", &v1::Role::createdb},   {"replication", &v1::Role::replication},
    {"bypassrls", &v1::Role::bypassrls}, {"login", &v1::Role::login},
};

constexpr v1::PasswordKind kPasswordKinds[] = {v1::PASSWORD_KIND_UNSPECIFIED, v1::PASSWORD_KIND_NONE,
                                               v1::PASSWORD_KIND_MD5, v1::PASSWORD_KIND_SCRAM_SHA_256,
                                               v1::PASSWORD_KIND_PLAINTEXT};

void AddRoleCounts(const v1::RolesFacts& roles, const Labels& labels, Families& out) {
  out.Add(kRoles, labels, roles.roles_size());
  for (const Attribute& attribute : kAttributes) {
    int count = 0;
    for (const v1::Role& role : roles.roles()) count += (role.*attribute.held)() ? 1 : 0;
    out.Add(kWithAttribute, labels, {{"attribute", attribute.name}}, count);
  }
  for (v1::PasswordKind kind : kPasswordKinds) {
    int count = 0;
    for (const v1::Role& role : roles.roles()) count += role.password_kind() == kind ? 1 : 0;
    out.Add(kByPasswordKind, labels, {{"password_kind", EnumLabel(kind)}}, count);
  }
}

}  // namespace

void AddRolesFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out) {
  if (!facts.has_roles()) return;
  const v1::RolesFacts& roles = facts.roles();
  // An empty inventory means the roles were not read: a cluster has at least
  // its bootstrap superuser.
  if (roles.roles_size() > 0) AddRoleCounts(roles, labels, out);
  if (roles.has_expired_passwords()) out.Add(kExpired, labels, roles.expired_passwords());
  if (roles.has_never_expiring_passwords()) out.Add(kNeverExpiring, labels, roles.never_expiring_passwords());
  if (!roles.password_encryption().empty()) {
    out.Add(kPasswordEncryption, labels, {{"password_encryption", roles.password_encryption()}}, 1);
  }
  if (roles.has_interactive_superuser_sessions()) {
    out.Add(kInteractiveSuperuser, labels, roles.interactive_superuser_sessions());
  }
  if (roles.has_interactive_superuser_sessions_seen()) {
    out.Add(kInteractiveSuperuserSeen, labels,
            static_cast<double>(roles.interactive_superuser_sessions_seen()));
  }
}

}  // namespace pgposture
