#include "agent/report/api_tables.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "agent/report/table.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

TEST(TableTest, AlignsColumnsWithoutTrailingSpaces) {
  Table table({"A", "LONGER"});
  table.AddRow({"wide cell", "x"});
  table.AddRow({"b", "two\nlines"});
  EXPECT_EQ(table.Render(),
            "A          LONGER\n"
            "wide cell  x\n"
            "b          two lines\n");
}

TEST(ApiTablesTest, WatchLinesShowEventsAndDropNotices) {
  v1::WatchDdlEventsResponse message;
  v1::DdlEvent& event = *message.mutable_event();
  *event.mutable_time() = TimeUtil::SecondsToTimestamp(1700000000);
  event.set_database("targets/app/databases/app");
  event.set_classification(v1::DDL_CLASSIFICATION_OUT_OF_BAND);
  event.set_source("dashboard");
  event.set_session_user("postgres");
  event.set_application_name("postgres-meta 0.1");
  event.set_command_tag("CREATE TABLE");
  event.set_object_identity("public.orders");
  EXPECT_EQ(
      RenderWatchLine(message),
      "2023-11-14T22:13:20Z  targets/app/databases/app  out_of_band  dashboard  postgres  postgres-meta 0.1  "
      "CREATE TABLE  public.orders\n");
  v1::WatchDdlEventsResponse notice;
  notice.set_dropped_events(12);
  EXPECT_EQ(RenderWatchLine(notice),
            "(12 event(s) dropped: this reader fell behind; `pgposture query ddl` lists them)\n");
}

TEST(ApiTablesTest, TargetsShowOneRowPerDatabase) {
  v1::ListTargetsResponse response;
  v1::Target& target = *response.add_targets();
  target.set_name("targets/app");
  target.set_environment("prod");
  v1::DatabaseSummary& up = *target.add_databases();
  up.set_name("targets/app/databases/app");
  up.set_maturity_level(v1::MATURITY_LEVEL_COLLABORATING);
  up.set_required_level(v1::MATURITY_LEVEL_PRODUCTION);
  up.set_failing_checks(3);
  *up.mutable_last_success_at() = TimeUtil::SecondsToTimestamp(1700000000);
  v1::DatabaseSummary& down = *target.add_databases();
  down.set_name("targets/app/databases/down");
  down.set_error("connection refused");
  EXPECT_EQ(
      RenderTargets(response),
      "DATABASE                    ENVIRONMENT  LEVEL          REQUIRED    FAILING  LAST SUCCESS          "
      "STATUS\n"
      "targets/app/databases/app   prod         collaborating  production  3        2023-11-14T22:13:20Z  "
      "ok\n"
      "targets/app/databases/down  prod         -              -           0        -                     "
      "error: connection refused\n");
}

TEST(ApiTablesTest, EnumWordsAreLowercaseWithoutPrefix) {
  EXPECT_EQ(EnumWord("SEVERITY_CRITICAL", "SEVERITY_"), "critical");
  EXPECT_EQ(EnumWord("CHECK_STATUS_FAIL", "CHECK_STATUS_"), "fail");
}

}  // namespace
}  // namespace pgposture
