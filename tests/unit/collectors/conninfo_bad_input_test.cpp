// Connection strings as users really write them: quotes, spaces, braces and
// unicode in passwords and database names, socket paths, and malformed
// strings whose error must not repeat the password.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collectors/conninfo.h"
#include "collectors/conninfo_error.h"

namespace pgposture {
namespace {

// A password with everything that needs quoting or encoding.
const std::string kPassword = "it's a {p\\w} \"é\" }";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ConnInfoBadInputTest, MaskHidesEveryFormOfPassword) {
  const std::vector<std::string> dsns{
      "host=db1 password=plain-canary",
      "host=db1 password='quoted canary {x}'",
      "host=db1 password='it\\'s canary \\\\ é'",
      "postgresql://app:pl%40in-canary@db1/app",
      "postgresql://app@db1/app?password=query-canary&sslmode=require",
      "host=db1 sslkey=/k sslpassword=key-canary",
      "postgresql://app:both-canary@db1/app?sslpassword=both-canary",
  };
  for (const std::string& dsn : dsns) {
    const std::string masked = MaskConnInfo(dsn);
    EXPECT_FALSE(Contains(masked, "canary")) << dsn << " -> " << masked;
    EXPECT_TRUE(Contains(masked, "host='db1'")) << masked;
    EXPECT_TRUE(Contains(masked, "'********'")) << masked;
  }
}

TEST(ConnInfoBadInputTest, PasswordsWithQuotesSpacesBracesAndUnicodeSurviveQuoting) {
  const std::string conninfo =
      AgentConnInfo("host=/var/run/postgresql dbname='caf\xc3\xa9 db'", "", kPassword, SessionLimits{});
  ASSERT_FALSE(ConnInfoError(conninfo)) << "must stay parseable";
  EXPECT_EQ(ConnInfoValue(conninfo, "password"), kPassword);
  EXPECT_EQ(ConnInfoValue(conninfo, "host"), "/var/run/postgresql");
  EXPECT_EQ(ConnInfoValue(conninfo, "dbname"), "caf\xc3\xa9 db");
  EXPECT_FALSE(Contains(MaskConnInfo(conninfo), "{p")) << MaskConnInfo(conninfo);
}

TEST(ConnInfoBadInputTest, ReadsSocketPathsAndUnicodeInBothForms) {
  EXPECT_EQ(ConnInfoValue("host=/tmp/pg\\ sock dbname=x", "host"), "/tmp/pg sock");
  EXPECT_EQ(ConnInfoValue("postgresql://%2Ftmp%2Fpg%20sock/app", "host"), "/tmp/pg sock");
  EXPECT_EQ(ConnInfoValue("postgresql:///app?host=/tmp/pg", "host"), "/tmp/pg");
  const std::string uri = "postgresql://us%20er:p%27%20%7B%C3%A9%7D@%2Ftmp/my%20d%C3%A9b?sslmode=disable";
  ASSERT_FALSE(ConnInfoError(uri));
  EXPECT_EQ(ConnInfoValue(uri, "user"), "us er");
  EXPECT_EQ(ConnInfoValue(uri, "password"), "p' {\xc3\xa9}");
  EXPECT_EQ(ConnInfoValue(uri, "dbname"),
            "my d\xc3\xa9"
            "b");
  EXPECT_TRUE(ConnInfoHasPassword(uri));
}

TEST(ConnInfoBadInputTest, SqlStyleDoubledQuotesAreNotLibpqQuoting) {
  // libpq escapes a quote with a backslash; 'it''s' ends the value at "it".
  const auto error = ConnInfoError("host=db1 password='it''s-canary'");
  ASSERT_TRUE(error);
  EXPECT_FALSE(Contains(*error, "canary")) << *error;
  EXPECT_EQ(ConnInfoValue("host=db1 password='it\\'s'", "password"), "it's");
}

// libpq quotes whole URIs and encoded values in its messages: those parts
// are withheld, and the message still says what is wrong.
TEST(ConnInfoBadInputTest, ErrorsNeverRepeatThePassword) {
  struct Case {
    std::string dsn;
    std::string reason;
  };
  const std::vector<Case> cases{
      {"postgresql://app:bad%zzcanary@db1/app", "invalid percent-encoded token"},
      {"postgresql://app:canary@[::1/app", "IPv6 host address"},
      {"postgresql:/app:canary@db1/app", "missing \"=\""},
      {"host=db1 password= two canary", "missing \"=\""},
      {"host=db1 canary", "missing \"=\""},
      {"postgresql://app:canary%00@db1/app", "forbidden value %00"},
      {"host=db1 password='canary", "unterminated quoted string"},
      // Quotes inside a quoted URI must not shift which parts look quoted
      // (found by conninfo_fuzz).
      {"postgresql://u:canary1@[::1]\"x\": \"\"\"", "unexpected character \"\"\" at"},
      {"postgresql://u:\"canary\" \"@db1/app?a\"=b\"=c", "extra key/value separator"},
  };
  for (const Case& c : cases) {
    const auto error = ConnInfoError(c.dsn);
    ASSERT_TRUE(error) << c.dsn;
    EXPECT_FALSE(Contains(*error, "canary")) << *error;
    EXPECT_TRUE(Contains(*error, c.reason)) << *error;
    EXPECT_EQ(MaskConnInfo(c.dsn), "<invalid connection string>");
  }
  // Keywords stay shown: they are what the user must fix.
  EXPECT_TRUE(Contains(*ConnInfoError("host=db1 pass{word}=x"), "\"pass{word}\""));
  EXPECT_TRUE(Contains(*ConnInfoError("postgresql://db1/app?sslmode=require&x"), "\"x\""));
}

TEST(ConnInfoBadInputTest, AnUnknownLibpqMessageIsWithheldWhole) {
  const std::string error = ConnInfoParseError("a message of a later libpq: \"canary1\"\n", "host=canary1");
  EXPECT_FALSE(Contains(error, "canary")) << error;
  EXPECT_TRUE(Contains(error, "libpq rejected it")) << error;
}

}  // namespace
}  // namespace pgposture
