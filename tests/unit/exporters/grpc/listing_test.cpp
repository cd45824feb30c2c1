#include "exporters/grpc/listing.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "tests/unit/exporters/grpc/grpc_fixtures.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;
using testing::AddFinding;
using testing::Collected;
using testing::Event;
using testing::SetDdl;

DatabaseSnapshot Snapshot(const v1::DatabasePosture& database) {
  return {nullptr, std::make_shared<const v1::DatabasePosture>(database)};
}

class ListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::DatabasePosture app = Collected("prod-a", "app");
    AddFinding(app, "pgaudit.loaded", v1::CHECK_STATUS_FAIL, v1::SEVERITY_CRITICAL);
    AddFinding(app, "ddl.capture_enabled", v1::CHECK_STATUS_PASS, v1::SEVERITY_WARNING,
               v1::MATURITY_LEVEL_COLLABORATING);
    SetDdl(app, {Event(3, 300), Event(2, 200, v1::DDL_CLASSIFICATION_MIGRATION), Event(1, 100)});
    v1::DatabasePosture postgres = Collected("prod-a", "postgres");
    AddFinding(postgres, "pgaudit.loaded", v1::CHECK_STATUS_FAIL, v1::SEVERITY_CRITICAL);
    SetDdl(postgres, {Event(7, 250)});
    v1::DatabasePosture staging = Collected("staging-a", "app", "staging");
    AddFinding(staging, "pgaudit.loaded", v1::CHECK_STATUS_PASS, v1::SEVERITY_CRITICAL);
    SetDdl(staging, {Event(9, 300)});
    snapshots_ = {Snapshot(app), Snapshot(postgres), Snapshot(staging)};
  }

  std::vector<DatabaseSnapshot> snapshots_;
};

TEST_F(ListingTest, TargetsGroupTheirDatabases) {
  v1::ListTargetsResponse response;
  ASSERT_TRUE(ListTargets(snapshots_, {}, &response).ok());
  ASSERT_EQ(response.targets_size(), 2);
  const v1::Target& prod = response.targets(0);
  EXPECT_EQ(prod.name(), "targets/prod-a");
  EXPECT_EQ(prod.environment(), "prod");
  ASSERT_EQ(prod.databases_size(), 2);
  EXPECT_EQ(prod.databases(0).name(), "targets/prod-a/databases/app");
  EXPECT_EQ(prod.databases(0).failing_checks(), 1);
  EXPECT_EQ(prod.databases(0).maturity_level(), v1::MATURITY_LEVEL_COLLABORATING);
  EXPECT_TRUE(prod.databases(0).has_last_success_at());
  EXPECT_EQ(response.targets(1).name(), "targets/staging-a");
  EXPECT_TRUE(response.next_page_token().empty());
}

TEST_F(ListingTest, FindingsFilterByEnvironmentAndStatus) {
  v1::ListFindingsRequest request;
  request.set_environment("prod");
  request.set_status(v1::CHECK_STATUS_FAIL);
  v1::ListFindingsResponse response;
  ASSERT_TRUE(ListFindings(snapshots_, request, &response).ok());
  ASSERT_EQ(response.findings_size(), 2);
  EXPECT_EQ(response.findings(0).database(), "targets/prod-a/databases/app");
  EXPECT_EQ(response.findings(0).finding().check_id(), "pgaudit.loaded");
  EXPECT_EQ(response.findings(1).database(), "targets/prod-a/databases/postgres");
  EXPECT_EQ(response.findings(1).environment(), "prod");
}

TEST_F(ListingTest, FindingsFilterByCheckLevelAndParent) {
  v1::ListFindingsRequest request;
  request.set_level(v1::MATURITY_LEVEL_COLLABORATING);
  v1::ListFindingsResponse response;
  ASSERT_TRUE(ListFindings(snapshots_, request, &response).ok());
  ASSERT_EQ(response.findings_size(), 1);
  EXPECT_EQ(response.findings(0).finding().check_id(), "ddl.capture_enabled");

  request.Clear();
  request.set_parent("targets/staging-a");
  request.set_check_id("pgaudit.loaded");
  request.set_severity(v1::SEVERITY_CRITICAL);
  response.Clear();
  ASSERT_TRUE(ListFindings(snapshots_, request, &response).ok());
  ASSERT_EQ(response.findings_size(), 1);
  EXPECT_EQ(response.findings(0).database(), "targets/staging-a/databases/app");
}

TEST_F(ListingTest, UnknownParentIsNotFoundAndBadFiltersAreInvalid) {
  v1::ListFindingsRequest request;
  request.set_parent("targets/nope");
  v1::ListFindingsResponse response;
  EXPECT_EQ(ListFindings(snapshots_, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);

  request.Clear();
  request.set_environment("production");
  const grpc::Status environment = ListFindings(snapshots_, request, &response);
  EXPECT_EQ(environment.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(environment.error_message().rfind("environment: ", 0), 0u);

  request.Clear();
  request.set_severity(static_cast<v1::Severity>(42));
  const grpc::Status severity = ListFindings(snapshots_, request, &response);
  EXPECT_EQ(severity.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(severity.error_message().rfind("severity: ", 0), 0u);
}

TEST_F(ListingTest, DdlEventsNewestFirstAcrossDatabases) {
  v1::ListDdlEventsResponse response;
  ASSERT_TRUE(ListDdlEvents(snapshots_, {}, &response).ok());
  std::vector<std::pair<std::string, std::int64_t>> seen;
  for (const v1::DdlEvent& event : response.events()) seen.emplace_back(event.database(), event.id());
  const std::string app = "targets/prod-a/databases/app";
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::int64_t>>{{app, 3},
                                                                     {"targets/staging-a/databases/app", 9},
                                                                     {"targets/prod-a/databases/postgres", 7},
                                                                     {app, 2},
                                                                     {app, 1}}));
}

TEST_F(ListingTest, DdlEventsFilterByClassificationTimeAndParent) {
  v1::ListDdlEventsRequest request;
  request.set_parent("targets/prod-a");
  request.set_classification(v1::DDL_CLASSIFICATION_OUT_OF_BAND);
  *request.mutable_start_time() = TimeUtil::SecondsToTimestamp(100);
  *request.mutable_end_time() = TimeUtil::SecondsToTimestamp(300);
  v1::ListDdlEventsResponse response;
  ASSERT_TRUE(ListDdlEvents(snapshots_, request, &response).ok());
  ASSERT_EQ(response.events_size(), 2);  // 300 is past the end, 2 is a migration
  EXPECT_EQ(response.events(0).id(), 7);
  EXPECT_EQ(response.events(1).id(), 1);
}

TEST_F(ListingTest, DdlEventsPageWithoutRepeatsOrGaps) {
  v1::ListDdlEventsRequest request;
  request.set_page_size(2);
  std::vector<std::int64_t> ids;
  do {
    v1::ListDdlEventsResponse response;
    ASSERT_TRUE(ListDdlEvents(snapshots_, request, &response).ok());
    EXPECT_LE(response.events_size(), 2);
    for (const v1::DdlEvent& event : response.events()) ids.push_back(event.id());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(ids, (std::vector<std::int64_t>{3, 9, 7, 2, 1}));
}

TEST_F(ListingTest, DdlEventsRefuseAnInvertedRange) {
  v1::ListDdlEventsRequest request;
  *request.mutable_start_time() = TimeUtil::SecondsToTimestamp(300);
  *request.mutable_end_time() = TimeUtil::SecondsToTimestamp(100);
  v1::ListDdlEventsResponse response;
  const grpc::Status status = ListDdlEvents(snapshots_, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("end_time: ", 0), 0u);
  request.mutable_end_time()->set_nanos(-1);
  EXPECT_EQ(ListDdlEvents(snapshots_, request, &response).error_message().rfind("end_time: ", 0), 0u);
}

}  // namespace
}  // namespace pgposture
