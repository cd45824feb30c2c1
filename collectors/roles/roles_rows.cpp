#include "collectors/roles/roles_rows.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <utility>

namespace pgposture {
namespace {

using google::protobuf::Timestamp;
using google::protobuf::util::TimeUtil;

constexpr std::array<std::pair<std::string_view, v1::PasswordKind>, 4> kPasswordKinds{{
    {"none", v1::PASSWORD_KIND_NONE},
    {"md5", v1::PASSWORD_KIND_MD5},
    {"scram-sha-256", v1::PASSWORD_KIND_SCRAM_SHA_256},
    {"plaintext", v1::PASSWORD_KIND_PLAINTEXT},
}};

// A timestamptz sent as epoch microseconds; NULL and unparsable text give
// nullopt (for VALID UNTIL: never), "-infinity" the earliest Timestamp.
std::optional<Timestamp> ToTimestamp(const std::optional<std::string>& text) {
  if (text && *text == "-infinity") return TimeUtil::SecondsToTimestamp(TimeUtil::kTimestampMinSeconds);
  return EpochMicrosColumn(text);
}

void SetAttributes(const std::string& list, v1::Role& role) {
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view name(list.data() + start, comma - start);
    if (name == "superuser") role.set_superuser(true);
    if (name == "createrole") role.set_createrole(true);
    if (name == "createdb") role.set_createdb(true);
    if (name == "replication") role.set_replication(true);
    if (name == "bypassrls") role.set_bypassrls(true);
    if (name == "login") role.set_login(true);
    if (name == "bootstrap") role.set_bootstrap(true);
    start = comma + 1;
  }
}

// "name=value" as stored in pg_db_role_setting.setconfig.
v1::RoleSetting ToSetting(const std::string& database, const std::string& entry) {
  v1::RoleSetting setting;
  const size_t equals = entry.find('=');
  setting.set_database(database);
  setting.set_name(entry.substr(0, equals));
  setting.set_value(equals == std::string::npos ? "" : entry.substr(equals + 1));
  return setting;
}

bool SettingBefore(const v1::RoleSetting& a, const v1::RoleSetting& b) {
  return std::tie(a.database(), a.name()) < std::tie(b.database(), b.name());
}

void CountExpiry(const Timestamp& now, v1::RolesFacts& facts) {
  int expired = 0;
  int never_expiring = 0;
  for (const v1::Role& role : facts.roles()) {
    if (!role.login() || role.password_kind() == v1::PASSWORD_KIND_NONE) continue;
    if (!role.has_valid_until()) {
      ++never_expiring;
    } else if (role.valid_until() < now) {
      ++expired;
    }
  }
  facts.set_expired_passwords(expired);
  facts.set_never_expiring_passwords(never_expiring);
}

}  // namespace

v1::PasswordKind PasswordKindFromName(std::string_view name) {
  for (const auto& [kind_name, kind] : kPasswordKinds) {
    if (name == kind_name) return kind;
  }
  return v1::PASSWORD_KIND_UNSPECIFIED;
}

std::string PasswordKindName(v1::PasswordKind kind) {
  for (const auto& [kind_name, known] : kPasswordKinds) {
    if (kind == known) return std::string(kind_name);
  }
  return "unknown";
}

RolesRead ParseRolesRows(const TaggedRows& rows) {
  RolesRead read;
  std::map<std::string, v1::Role> roles;
  bool passwords_readable = false;
  for (const TaggedRow& row : rows) {
    if (row.kind == "server") {
      read.facts.set_password_encryption(row.a.value_or(""));
      read.read_at = ToTimestamp(row.b).value_or(Timestamp());
      passwords_readable = IsTrue(row.c);
    } else if (row.kind == "role") {
      v1::Role& role = roles[row.a.value_or("")];
      role.set_name(row.a.value_or(""));
      SetAttributes(row.b.value_or(""), role);
      if (const std::optional<Timestamp> valid_until = ToTimestamp(row.c)) {
        *role.mutable_valid_until() = *valid_until;
      }
    }
  }
  // The other rows name roles; those not in the inventory (the predefined
  // pg_* roles) are left out.
  std::map<std::string, SessionRow> sessions;
  for (const TaggedRow& row : rows) {
    const auto role = roles.find(row.a.value_or(""));
    if (row.kind == "member" && role != roles.end()) {
      role->second.add_member_of(row.b.value_or(""));
    } else if (row.kind == "setting" && role != roles.end()) {
      *role->second.add_settings() = ToSetting(row.b.value_or(""), row.c.value_or(""));
    } else if (row.kind == "password" && role != roles.end()) {
      role->second.set_password_kind(PasswordKindFromName(row.b.value_or("")));
    } else if (row.kind == "session") {
      SessionRow& session = sessions[row.a.value_or("")];
      session.key = row.a.value_or("");
      session.role = row.b.value_or("");
      session.application_name = row.c.value_or("");
    } else if (row.kind == "session_client") {
      SessionRow& session = sessions[row.a.value_or("")];
      session.client_addr = row.b.value_or("");
      session.ssl = IsTrue(row.c);
    }
  }
  for (auto& [name, role] : roles) {
    std::sort(role.mutable_member_of()->begin(), role.mutable_member_of()->end());
    std::sort(role.mutable_settings()->begin(), role.mutable_settings()->end(), SettingBefore);
    *read.facts.add_roles() = std::move(role);
  }
  for (auto& [key, session] : sessions) read.sessions.push_back(std::move(session));
  if (passwords_readable) CountExpiry(read.read_at, read.facts);
  return read;
}

}  // namespace pgposture
