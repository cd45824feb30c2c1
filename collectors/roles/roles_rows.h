// The roles collector's rows, parsed: the role inventory and the current
// sessions, before sessions are grouped and roles diffed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collectors/tagged_rows.h"
#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// One current client session.
struct SessionRow {
  /// Backend pid and start time: unique for the server's lifetime, unlike a
  /// pid alone, which the kernel reuses.
  std::string key;
  std::string role;
  std::string application_name;
  /// Empty for a Unix-socket session.
  std::string client_addr;
  bool ssl = false;
};

/// What one run of the roles query read.
struct RolesRead {
  /// Roles (sorted by name, with memberships, settings and password kinds),
  /// password_encryption and the password expiry counts; no sessions yet.
  v1::RolesFacts facts;
  std::vector<SessionRow> sessions;
  /// The server's clock when it ran the query.
  google::protobuf::Timestamp read_at;
};

/// Pure part of the roles collector. Row kinds:
///   server   (password_encryption, now as epoch microseconds, password kinds readable)
///   role     (name, comma-separated attributes, valid_until as epoch
///             microseconds / "infinity" / "-infinity" / NULL)
///   member   (role, role it is a member of, -)
///   setting  (role, database or "", "name=value")
///   password (role, kind name, -)
///   session  (key, role, application_name)
///   session_client (key, client address or NULL, ssl)
/// Without readable password kinds every role keeps PASSWORD_KIND_UNSPECIFIED
/// and the expiry counts stay unset.
RolesRead ParseRolesRows(const TaggedRows& rows);

/// "md5" -> PASSWORD_KIND_MD5, as pgposture.role_passwords() names kinds;
/// PASSWORD_KIND_UNSPECIFIED for anything else.
v1::PasswordKind PasswordKindFromName(std::string_view name);
/// PASSWORD_KIND_MD5 -> "md5"; "unknown" for PASSWORD_KIND_UNSPECIFIED.
std::string PasswordKindName(v1::PasswordKind kind);

}  // namespace pgposture
