#include "collectors/conninfo.h"

#include <libpq-fe.h>

#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "collectors/conninfo_error.h"

namespace pgposture {
namespace {

constexpr const char* kMask = "********";

struct ConnInfoFree {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using ConnInfoOptions = std::unique_ptr<PQconninfoOption, ConnInfoFree>;

// Parses with libpq; on failure fills `error` and returns null.
ConnInfoOptions Parse(const std::string& dsn, std::string* error) {
  char* errmsg = nullptr;
  ConnInfoOptions options(PQconninfoParse(dsn.c_str(), &errmsg));
  if (!options && error) {
    *error = errmsg ? ConnInfoParseError(errmsg, dsn) : "out of memory";
  }
  if (errmsg) PQfreemem(errmsg);
  return options;
}

// libpq marks the options to hide (password, sslpassword) with "*".
bool IsSecret(const PQconninfoOption& option) {
  return option.dispchar != nullptr && std::strchr(option.dispchar, '*') != nullptr;
}

// Quotes a value for a key=value connection string (libpq's rules: single
// quotes, with backslash escaping backslash and quote).
std::string Quote(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

// The keywords `dsn` sets, in libpq's order, secrets replaced by kMask when
// `masked`.
Pairs SetKeywords(const PQconninfoOption* options, bool masked = false) {
  Pairs pairs;
  for (const PQconninfoOption* o = options; o->keyword; ++o) {
    if (o->val) pairs.emplace_back(o->keyword, masked && IsSecret(*o) ? kMask : o->val);
  }
  return pairs;
}

std::string Join(const Pairs& pairs) {
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out += ' ';
    out += key + '=' + Quote(value);
  }
  return out;
}

void Set(Pairs& pairs, const std::string& key, const std::string& value) {
  for (auto& pair : pairs) {
    if (pair.first == key) {
      pair.second = value;
      return;
    }
  }
  pairs.emplace_back(key, value);
}

// libpq's connect_timeout is in whole seconds and values below 2 are raised
// to 2; round up so the agent never waits less than asked.
std::string ConnectTimeoutSeconds(std::chrono::milliseconds timeout) {
  auto seconds = (timeout.count() + 999) / 1000;
  return std::to_string(seconds < 2 ? 2 : seconds);
}

}  // namespace

std::optional<std::string> ConnInfoError(const std::string& dsn) {
  std::string error;
  if (Parse(dsn, &error)) return std::nullopt;
  return error;
}

bool ConnInfoHasPassword(const std::string& dsn) { return !ConnInfoValue(dsn, "password").empty(); }

std::string MaskConnInfo(const std::string& dsn) {
  ConnInfoOptions options = Parse(dsn, nullptr);
  if (!options) return "<invalid connection string>";
  return Join(SetKeywords(options.get(), true));
}

std::string ConnInfoValue(const std::string& dsn, const std::string& keyword) {
  ConnInfoOptions options = Parse(dsn, nullptr);
  if (!options) return "";
  for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
    if (keyword == o->keyword) return o->val ? o->val : "";
  }
  return "";
}

std::string ConnInfoWith(const std::string& dsn, const std::map<std::string, std::string>& overrides) {
  ConnInfoOptions options = Parse(dsn, nullptr);
  Pairs pairs = options ? SetKeywords(options.get()) : Pairs{};
  for (const auto& [key, value] : overrides) Set(pairs, key, value);
  return Join(pairs);
}

std::string AgentConnInfo(const std::string& dsn, const std::string& dbname,
                          const std::optional<std::string>& password, const SessionLimits& limits) {
  std::map<std::string, std::string> overrides{
      {"application_name", "pgposture"},
      {"connect_timeout", ConnectTimeoutSeconds(limits.connect_timeout)},
  };
  if (!dbname.empty()) overrides["dbname"] = dbname;
  if (password) overrides["password"] = *password;
  // Session options from the startup packet outrank ALTER ROLE / ALTER
  // DATABASE settings, so no role or database can make the agent write or
  // wait forever. They cost no round trip.
  std::string server_options = ConnInfoValue(dsn, "options");
  if (!server_options.empty()) server_options += ' ';
  server_options += "-c default_transaction_read_only=on -c search_path=pg_catalog";
  server_options += " -c statement_timeout=" + std::to_string(limits.statement_timeout.count());
  server_options += " -c lock_timeout=" + std::to_string(limits.lock_timeout.count());
  server_options +=
      " -c idle_in_transaction_session_timeout=" + std::to_string(limits.statement_timeout.count());
  // The batched statement is prepared once per session; planned for its
  // parameter values (the DDL cursor) it would be planned again every cycle.
  server_options += " -c plan_cache_mode=force_generic_plan";
  overrides["options"] = server_options;
  return ConnInfoWith(dsn, overrides);
}

}  // namespace pgposture
