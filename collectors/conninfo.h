// libpq connection strings: validation, masking and the agent's own options.
//
// Both forms libpq accepts (key=value and postgresql:// URIs) are parsed by
// libpq itself (PQconninfoParse), never by hand, so what we validate is what
// libpq will do.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace pgposture {

/// Why libpq rejects `dsn`, or nullopt when it is valid. The message never
/// repeats a password: of the parts of `dsn` libpq quotes, it keeps only
/// keywords and single characters.
std::optional<std::string> ConnInfoError(const std::string& dsn);

/// True when `dsn` carries a password of its own.
bool ConnInfoHasPassword(const std::string& dsn);

/// `dsn` in key=value form with every secret libpq knows (password,
/// sslpassword) replaced by "********", for logs and messages. An invalid
/// dsn yields "<invalid connection string>".
std::string MaskConnInfo(const std::string& dsn);

/// The value of one libpq keyword in `dsn` ("" when absent or invalid).
std::string ConnInfoValue(const std::string& dsn, const std::string& keyword);

/// `dsn` in key=value form with `overrides` set (replacing values `dsn` has).
/// Precondition: ConnInfoError(dsn) is nullopt.
std::string ConnInfoWith(const std::string& dsn, const std::map<std::string, std::string>& overrides);

/// What the agent adds to every connection it opens.
struct SessionLimits {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds statement_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds lock_timeout{std::chrono::seconds(2)};
};

/// The connection string the agent really uses: `dsn` with `dbname` replaced
/// (when not empty), the password added (when given), application_name
/// pgposture, and server options making every transaction read-only with the
/// given timeouts and a pinned search_path. Holds the password: never log it.
/// Precondition: ConnInfoError(dsn) is nullopt.
std::string AgentConnInfo(const std::string& dsn, const std::string& dbname,
                          const std::optional<std::string>& password, const SessionLimits& limits);

}  // namespace pgposture
