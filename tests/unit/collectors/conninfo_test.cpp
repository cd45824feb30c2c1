#include "collectors/conninfo.h"

#include <gtest/gtest.h>

namespace pgposture {
namespace {

TEST(ConnInfoTest, AcceptsKeyValueAndUri) {
  EXPECT_FALSE(ConnInfoError("host=db1 port=5432 dbname=app user=pgposture"));
  EXPECT_FALSE(ConnInfoError("postgresql://pgposture@db1:5432/app?sslmode=verify-full"));
  EXPECT_FALSE(ConnInfoError("host=/var/run/postgresql dbname='my db' application_name='it\\'s {x}'"));
}

TEST(ConnInfoTest, RejectsMalformedWithLibpqsReason) {
  const auto error = ConnInfoError("host=db1 nosuchoption=1");
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("nosuchoption"), std::string::npos) << *error;
  EXPECT_TRUE(ConnInfoError("host='unterminated"));
  EXPECT_TRUE(ConnInfoError("postgresql://db1/app?nosuchparameter=1"));
}

TEST(ConnInfoTest, MasksPasswordsInBothForms) {
  const std::string masked = MaskConnInfo("host=db1 user=u password=s3cret-canary");
  EXPECT_EQ(masked.find("s3cret-canary"), std::string::npos);
  EXPECT_NE(masked.find("password='********'"), std::string::npos) << masked;
  const std::string uri = MaskConnInfo("postgresql://u:s3cret-canary@db1/app");
  EXPECT_EQ(uri.find("s3cret-canary"), std::string::npos) << uri;
  EXPECT_NE(uri.find("host='db1'"), std::string::npos) << uri;
  EXPECT_EQ(MaskConnInfo("password='s3cret-canary"), "<invalid connection string>");
}

TEST(ConnInfoTest, FindsPasswordsAndValues) {
  EXPECT_TRUE(ConnInfoHasPassword("host=db1 password=x"));
  EXPECT_TRUE(ConnInfoHasPassword("postgresql://u:x@db1/app"));
  EXPECT_FALSE(ConnInfoHasPassword("host=db1 user=u"));
  EXPECT_EQ(ConnInfoValue("postgresql://u@db1/app", "dbname"), "app");
  EXPECT_EQ(ConnInfoValue("host=db1", "dbname"), "");
}

TEST(ConnInfoTest, AgentConnInfoPinsSessionAndOverridesDatabase) {
  SessionLimits limits;
  limits.connect_timeout = std::chrono::milliseconds(1500);
  limits.statement_timeout = std::chrono::milliseconds(3000);
  limits.lock_timeout = std::chrono::milliseconds(750);
  const std::string conninfo = AgentConnInfo("postgresql://u@db1/app?options=-c%20work_mem%3D4MB", "other db",
                                             std::string("p'w\\d"), limits);
  EXPECT_FALSE(ConnInfoError(conninfo)) << "must stay parseable";
  EXPECT_EQ(ConnInfoValue(conninfo, "dbname"), "other db");
  EXPECT_EQ(ConnInfoValue(conninfo, "password"), "p'w\\d");
  EXPECT_EQ(ConnInfoValue(conninfo, "application_name"), "pgposture");
  EXPECT_EQ(ConnInfoValue(conninfo, "connect_timeout"), "2");
  const std::string options = ConnInfoValue(conninfo, "options");
  EXPECT_NE(options.find("-c work_mem=4MB"), std::string::npos) << "user options kept: " << options;
  EXPECT_NE(options.find("-c default_transaction_read_only=on"), std::string::npos);
  EXPECT_NE(options.find("-c statement_timeout=3000"), std::string::npos);
  EXPECT_NE(options.find("-c lock_timeout=750"), std::string::npos);
  EXPECT_NE(options.find("-c search_path=pg_catalog"), std::string::npos);
}

}  // namespace
}  // namespace pgposture
