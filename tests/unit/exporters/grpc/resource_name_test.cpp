#include "exporters/grpc/resource_name.h"

#include <gtest/gtest.h>

namespace pgposture {
namespace {

TEST(ResourceNameTest, ParsesDatabaseNames) {
  ResourceName name;
  ASSERT_TRUE(ParseDatabaseName("name", "targets/app-prod/databases/app", &name).ok());
  EXPECT_EQ(name.target, "app-prod");
  EXPECT_EQ(name.database, "app");
  // PostgreSQL allows "/" in database names.
  ASSERT_TRUE(ParseDatabaseName("name", "targets/t/databases/a/b", &name).ok());
  EXPECT_EQ(name.database, "a/b");
}

TEST(ResourceNameTest, RefusesMalformedNamesNamingTheField) {
  ResourceName name;
  for (const std::string bad : {"", "app", "targets/", "targets/t", "targets/t/databases/",
                                "targets//databases/d", "targets/t/schemas/s", "target/t/databases/d"}) {
    const grpc::Status status = ParseDatabaseName("name", bad, &name);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_EQ(status.error_message().rfind("name: ", 0), 0u) << status.error_message();
  }
}

TEST(ResourceNameTest, ParsesParents) {
  ResourceName parent;
  ASSERT_TRUE(ParseParent("parent", "", &parent).ok());
  EXPECT_TRUE(parent.target.empty());
  ASSERT_TRUE(ParseParent("parent", "targets/t", &parent).ok());
  EXPECT_EQ(parent.target, "t");
  EXPECT_TRUE(parent.database.empty());
  ASSERT_TRUE(ParseParent("parent", "targets/t/databases/d", &parent).ok());
  EXPECT_EQ(parent.database, "d");
  EXPECT_EQ(ParseParent("parent", "targets/t/", &parent).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(ResourceNameTest, ContainsMatchesTargetAndDatabase) {
  v1::DatabasePosture posture;
  posture.set_target("t");
  posture.set_database("d");
  EXPECT_TRUE(Contains({}, posture));
  EXPECT_TRUE(Contains({"t", ""}, posture));
  EXPECT_TRUE(Contains({"t", "d"}, posture));
  EXPECT_FALSE(Contains({"u", ""}, posture));
  EXPECT_FALSE(Contains({"t", "e"}, posture));
  EXPECT_EQ(Describe({"t", "d"}), "targets/t/databases/d");
}

}  // namespace
}  // namespace pgposture
