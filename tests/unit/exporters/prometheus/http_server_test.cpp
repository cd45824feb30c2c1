// The agent's HTTP endpoints, over a real socket.
#include "exporters/prometheus/http_server.h"

#include <gtest/gtest.h>

#include "tests/harness/http_client.h"
#include "tests/unit/exporters/prometheus/posture_fixtures.h"

namespace pgposture::testing {
namespace {

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() : server_("127.0.0.1:0", source_, BuildInfo{"0.1.0", "abc"}) {}
  HttpResponse Get(const std::string& path) {
    return HttpFetch("127.0.0.1", server_.ListeningPorts().at(0), path);
  }

  FakeSnapshotSource source_;
  MetricsServer server_;
};

// Each server takes civetweb's 2 s poll quantum to stop, so a test covers
// several endpoints.
TEST_F(HttpServerTest, MetricsInTheTextFormatFollowingTheSnapshotsAfterEachCycle) {
  source_.snapshots = FullSnapshots(2);
  server_.PrepareScrape();
  const HttpResponse response = Get("/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("# HELP pgposture_up "), std::string::npos) << response.body;
  EXPECT_NE(
      response.body.find(R"(pgposture_up{target="app",environment="prod",database="db1",project="shop"} 1)"),
      std::string::npos)
      << response.body;
  source_.snapshots.pop_back();
  EXPECT_NE(Get("/metrics").body.find(R"(database="db1")"), std::string::npos) << "until the cycle ends";
  server_.PrepareScrape();
  EXPECT_EQ(Get("/metrics").body.find(R"(database="db1")"), std::string::npos);
}

TEST_F(HttpServerTest, ProbesAndUnknownPaths) {
  const HttpResponse health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  const HttpResponse starting = Get("/readyz");
  EXPECT_EQ(starting.status, 503);
  EXPECT_EQ(starting.body, "not ready: the first collection cycle is still running\n");
  source_.is_ready = true;
  EXPECT_EQ(Get("/readyz").status, 200);
  EXPECT_EQ(Get("/nope").status, 404);
  EXPECT_EQ(Get("/favicon.ico").status, 404);
}

TEST_F(HttpServerTest, IndexPageLinksEndpointsAndShowsHealth) {
  source_.snapshots = FullSnapshots(2);
  v1::DatabasePosture failing = DatabasePart("other", "<script>");
  failing.mutable_collection()->set_stale(true);
  failing.mutable_collection()->set_error_class(v1::ERROR_CLASS_CONNECT);
  failing.mutable_collection()->set_error("connection refused");
  source_.snapshots.push_back(Snapshot(failing));
  source_.is_ready = true;

  const HttpResponse page = Get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  for (const char* expected :
       {"pgposture 0.1.0 (abc)", R"(<a href="/metrics">)", R"(<a href="/healthz">)", R"(<a href="/readyz">)",
        "ready: the first collection cycle has finished", "2 of 3 databases up",
        "down (connect): connection refused", "targets/other/databases/&lt;script&gt;",
        "<td>collaborating</td><td>production</td>"}) {
    EXPECT_NE(page.body.find(expected), std::string::npos) << expected << "\n" << page.body;
  }
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
}

TEST(HttpServerListenTest, AddressInUseThrows) {
  FakeSnapshotSource source;
  MetricsServer first("127.0.0.1:0", source, BuildInfo{});
  const std::string taken = "127.0.0.1:" + std::to_string(first.ListeningPorts().at(0));
  EXPECT_THROW(MetricsServer(taken, source, BuildInfo{}), std::runtime_error);
}

}  // namespace
}  // namespace pgposture::testing
