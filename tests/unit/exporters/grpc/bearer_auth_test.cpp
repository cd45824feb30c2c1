#include "exporters/grpc/bearer_auth.h"

#include <gtest/gtest.h>

#include <fstream>

namespace pgposture {
namespace {

TEST(BearerAuthTest, NoTokensLetEverythingThrough) {
  const BearerAuth auth("", "");
  EXPECT_TRUE(auth.Check(std::nullopt, Access::kRead).ok());
  EXPECT_TRUE(auth.Check(std::nullopt, Access::kCollect).ok());
}

TEST(BearerAuthTest, ReadTokenGuardsEveryCall) {
  const BearerAuth auth("s3cret", "");
  EXPECT_EQ(auth.Check(std::nullopt, Access::kRead).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(auth.Check("Bearer wrong", Access::kRead).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(auth.Check("Bearer s3cre", Access::kRead).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(auth.Check("Basic s3cret", Access::kRead).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(auth.Check("Bearer s3cret", Access::kRead).ok());
  EXPECT_TRUE(auth.Check("bearer s3cret", Access::kRead).ok());
  EXPECT_TRUE(auth.Check("Bearer s3cret", Access::kCollect).ok());
}

TEST(BearerAuthTest, CollectTokenGuardsCollectEvenWhenReadsAreOpen) {
  const BearerAuth auth("", "c0llect");
  EXPECT_TRUE(auth.Check(std::nullopt, Access::kRead).ok());
  EXPECT_EQ(auth.Check(std::nullopt, Access::kCollect).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(auth.Check("Bearer nope", Access::kCollect).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(auth.Check("Bearer c0llect", Access::kCollect).ok());
}

TEST(BearerAuthTest, ReadTokenMayNotCollectWhenACollectTokenIsSet) {
  const BearerAuth auth("read", "collect");
  EXPECT_TRUE(auth.Check("Bearer read", Access::kRead).ok());
  EXPECT_TRUE(auth.Check("Bearer collect", Access::kRead).ok());
  const grpc::Status denied = auth.Check("Bearer read", Access::kCollect);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(denied.error_message().find("Bearer read"), std::string::npos);  // the token is never echoed
  EXPECT_TRUE(auth.Check("Bearer collect", Access::kCollect).ok());
}

TEST(BearerAuthTest, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("abcd", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

TEST(BearerAuthTest, TokenFilesLoseTheirTrailingNewline) {
  const std::string path = ::testing::TempDir() + "/token";
  std::ofstream(path) << "tok en\n";
  EXPECT_EQ(ReadTokenFile(path, "listen.grpc_auth.token_file"), "tok en");
  std::ofstream(path) << "\n";
  EXPECT_THROW(ReadTokenFile(path, "listen.grpc_auth.token_file"), std::runtime_error);
  try {
    ReadTokenFile(path + ".missing", "listen.grpc_auth.token_file");
    FAIL() << "no error for a missing file";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("cannot read listen.grpc_auth.token_file"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace pgposture
