// DSN handling: targets[].dsn and `--dsn` go through ConnInfoError,
// MaskConnInfo and AgentConnInfo. The input is a DSN on its own, or one
// built around a password (a URI's user:password@ or a quoted password=).
// Properties: a valid DSN masks to a valid DSN with the same values and the
// password replaced; ConnInfoWith sets what it is given and keeps the rest;
// AgentConnInfo stays valid and carries the password and database given;
// neither a masked DSN nor an error message ever shows the password.
#include <fuzzer/FuzzedDataProvider.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "collectors/conninfo.h"
#include "tests/fuzz/canary.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

struct Keyword {
  std::string name;
  /// libpq's "*" display character: password, sslpassword.
  bool secret;
};

std::vector<Keyword> ReadKeywords() {
  std::vector<Keyword> keywords;
  PQconninfoOption* defaults = PQconndefaults();
  for (const PQconninfoOption* option = defaults; option->keyword; ++option) {
    keywords.push_back({option->keyword, option->dispchar != nullptr && option->dispchar[0] == '*'});
  }
  PQconninfoFree(defaults);
  return keywords;
}

const std::vector<Keyword>& Keywords() {
  static const std::vector<Keyword> keywords = ReadKeywords();
  return keywords;
}

// Every keyword's value in `dsn`, as libpq reads it ("" when unset), in one
// parse: the reference the functions under test are held to, fast enough
// to compare every keyword on every input.
std::map<std::string, std::string> Values(const std::string& dsn) {
  std::map<std::string, std::string> values;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), nullptr);
  FUZZ_CHECK(options != nullptr);
  for (const PQconninfoOption* option = options; option->keyword; ++option) {
    values[option->keyword] = option->val ? option->val : "";
  }
  PQconninfoFree(options);
  return values;
}

// libpq reads C strings: a NUL ends any value it is given.
std::string UpToNul(std::string text) {
  text.resize(std::min(text.size(), text.find('\0')));
  return text;
}

// Whether finding `password` in a text would be a leak: a canary absent
// from everything else the text may show.
bool Distinctive(const std::string& password, const std::string& everything_else) {
  return IsCanary(password) && everything_else.find(password) == std::string::npos;
}

// The keywords and the values but the secrets: what a masked DSN may show.
std::string ShownValues(const std::map<std::string, std::string>& values) {
  std::string shown = "********";
  for (const Keyword& keyword : Keywords()) {
    shown.append(" ").append(keyword.name);
    if (!keyword.secret) shown.append(" ").append(values.at(keyword.name));
  }
  return shown;
}

void CheckMasked(const std::string& dsn) {
  const std::map<std::string, std::string> values = Values(dsn);
  const std::string masked = pgposture::MaskConnInfo(dsn);
  FUZZ_CHECK(!pgposture::ConnInfoError(masked));
  const std::map<std::string, std::string> masked_values = Values(masked);
  const std::string shown = ShownValues(values);
  for (const Keyword& keyword : Keywords()) {
    const std::string& value = values.at(keyword.name);
    if (!keyword.secret) {
      FUZZ_CHECK(masked_values.at(keyword.name) == value);
      continue;
    }
    if (!value.empty()) FUZZ_CHECK(masked_values.at(keyword.name) == "********");
    if (Distinctive(value, shown)) FUZZ_CHECK(masked.find(value) == std::string::npos);
  }
  FUZZ_CHECK(pgposture::ConnInfoHasPassword(dsn) == !values.at("password").empty());
}

void CheckWith(const std::string& dsn, const std::string& keyword, const std::string& value) {
  const std::string changed = pgposture::ConnInfoWith(dsn, {{keyword, value}});
  FUZZ_CHECK(!pgposture::ConnInfoError(changed));
  std::map<std::string, std::string> expected = Values(dsn);
  expected[keyword] = value;
  FUZZ_CHECK(Values(changed) == expected);
  FUZZ_CHECK(pgposture::ConnInfoValue(changed, keyword) == value);
}

void CheckAgentConnInfo(const std::string& dsn, const std::string& dbname, const std::string& password) {
  const std::string agent = pgposture::AgentConnInfo(dsn, dbname, password, pgposture::SessionLimits{});
  FUZZ_CHECK(!pgposture::ConnInfoError(agent));
  const std::map<std::string, std::string> values = Values(agent);
  FUZZ_CHECK(values.at("password") == password);
  FUZZ_CHECK(values.at("dbname") == (dbname.empty() ? Values(dsn).at("dbname") : dbname));
  FUZZ_CHECK(values.at("application_name") == "pgposture");
  FUZZ_CHECK(values.at("options").find("-c default_transaction_read_only=on") != std::string::npos);
  if (Distinctive(password, ShownValues(values))) {
    FUZZ_CHECK(pgposture::MaskConnInfo(agent).find(password) == std::string::npos);
  }
}

void CheckValidDsn(FuzzedDataProvider& input, const std::string& dsn) {
  CheckMasked(dsn);
  const std::string& keyword =
      Keywords()[input.ConsumeIntegralInRange<std::size_t>(0, Keywords().size() - 1)].name;
  CheckWith(dsn, keyword, UpToNul(input.ConsumeRandomLengthString(64)));
  const std::string dbname = UpToNul(input.ConsumeRandomLengthString(64));
  CheckAgentConnInfo(dsn, dbname, UpToNul(input.ConsumeRandomLengthString(64)));
}

// A password=... value as libpq reads it back.
std::string Quoted(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) quoted.append(c == '\'' || c == '\\' ? "\\" : "").append(1, c);
  return quoted + "'";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  enum class Form { kAsGiven, kUriPassword, kKeyValuePassword, kMaxValue = kKeyValuePassword };
  const Form form = input.ConsumeEnum<Form>();
  std::string password;
  std::string dsn;
  if (form == Form::kAsGiven) {
    dsn = UpToNul(input.ConsumeRandomLengthString());
  } else {
    password = UpToNul(input.ConsumeRandomLengthString(64));
    const std::string rest = UpToNul(input.ConsumeRandomLengthString());
    const std::string before = form == Form::kUriPassword ? "postgresql://u:" : "password=";
    const std::string after = form == Form::kUriPassword ? "@" : " ";
    dsn = before + (form == Form::kUriPassword ? password : Quoted(password)) + after + rest;
    if (const std::optional<std::string> error = pgposture::ConnInfoError(dsn)) {
      if (Distinctive(password, before + after + rest))
        FUZZ_CHECK(error->find(password) == std::string::npos);
      FUZZ_CHECK(pgposture::MaskConnInfo(dsn) == "<invalid connection string>");
      return 0;
    }
  }
  if (pgposture::ConnInfoError(dsn)) return 0;
  CheckValidDsn(input, dsn);
  return 0;
}
