// The server in-process, over a real socket: statuses, health, the watch
// stream's buffering and shutdown.
#include "exporters/grpc/grpc_server.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "pgposture/v1/service.grpc.pb.h"
#include "tests/unit/exporters/grpc/grpc_fixtures.h"

namespace pgposture {
namespace {

using namespace std::chrono_literals;
using testing::Collected;
using testing::Event;
using testing::PublishingSource;
using testing::SetDdl;
using HealthStatus = grpc::health::v1::HealthCheckResponse;

// Answers Collect as told, counting calls.
class FakeTrigger : public CollectTrigger {
 public:
  CollectNowResult CollectNow(const std::string&, const std::string&,
                              std::chrono::steady_clock::time_point) override {
    ++calls;
    return result;
  }
  CollectNowResult result{CollectNowResult::Outcome::kCollected, ""};
  std::atomic<int> calls{0};
};

class GrpcServerTest : public ::testing::Test {
 protected:
  void Start(GrpcServerOptions options = {}) {
    options.address = "127.0.0.1:0";
    server_ = std::make_unique<GrpcServer>(options, source_, &trigger_);
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    stub_ = v1::PostureService::NewStub(channel_);
  }

  HealthStatus::ServingStatus Health(const std::string& service = "") {
    auto health = grpc::health::v1::Health::NewStub(channel_);
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    HealthStatus response;
    const grpc::Status status = health->Check(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.status();
  }

  grpc::Status GetPosture(const std::string& name, v1::DatabasePosture* posture,
                          const std::string& token = "") {
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    v1::GetPostureRequest request;
    request.set_name(name);
    return stub_->GetPosture(&context, request, posture);
  }

  grpc::Status Collect(const std::string& name) {
    grpc::ClientContext context;
    v1::CollectRequest request;
    request.set_name(name);
    v1::CollectResponse response;
    return stub_->Collect(&context, request, &response);
  }

  PublishingSource source_;
  FakeTrigger trigger_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PostureService::Stub> stub_;
};

TEST_F(GrpcServerTest, HealthFollowsReadiness) {
  Start();
  EXPECT_EQ(Health(), HealthStatus::NOT_SERVING);
  EXPECT_EQ(Health("pgposture.v1.PostureService"), HealthStatus::NOT_SERVING);
  v1::DatabasePosture posture;
  EXPECT_EQ(GetPosture("targets/t/databases/d", &posture).error_code(), grpc::StatusCode::UNAVAILABLE);
  source_.SetReady();
  EXPECT_EQ(Health(), HealthStatus::SERVING);
  EXPECT_EQ(Health("pgposture.v1.PostureService"), HealthStatus::SERVING);
}

TEST_F(GrpcServerTest, GetPostureStatuses) {
  source_.Publish(Collected("t", "d"));
  v1::DatabasePosture failing = Collected("t", "down");
  failing.mutable_collection()->clear_last_success_at();
  failing.mutable_collection()->set_error("connection refused");
  source_.Publish(failing);
  source_.SetReady();
  Start();

  v1::DatabasePosture posture;
  ASSERT_TRUE(GetPosture("targets/t/databases/d", &posture).ok());
  EXPECT_EQ(posture.name(), "targets/t/databases/d");
  EXPECT_EQ(GetPosture("targets/t/databases/nope", &posture).error_code(), grpc::StatusCode::NOT_FOUND);
  const grpc::Status invalid = GetPosture("t/d", &posture);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(invalid.error_message().rfind("name: ", 0), 0u);
  const grpc::Status never = GetPosture("targets/t/databases/down", &posture);
  EXPECT_EQ(never.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(never.error_message().find("connection refused"), std::string::npos);

  // A new snapshot replaces the cached merge.
  v1::DatabasePosture newer = Collected("t", "d");
  newer.set_maturity_level(v1::MATURITY_LEVEL_ENTERPRISE);
  source_.Publish(newer);
  ASSERT_TRUE(GetPosture("targets/t/databases/d", &posture).ok());
  EXPECT_EQ(posture.maturity_level(), v1::MATURITY_LEVEL_ENTERPRISE);
}

TEST_F(GrpcServerTest, TokensAreReadFromFiles) {
  const std::string read_path = ::testing::TempDir() + "/read-token";
  const std::string collect_path = ::testing::TempDir() + "/collect-token";
  std::ofstream(read_path) << "r3ad\n";
  std::ofstream(collect_path) << "c0llect\n";
  source_.Publish(Collected("t", "d"));
  source_.SetReady();
  GrpcServerOptions options;
  options.token_file = read_path;
  options.collect_token_file = collect_path;
  Start(options);

  v1::DatabasePosture posture;
  EXPECT_EQ(GetPosture("targets/t/databases/d", &posture).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(GetPosture("targets/t/databases/d", &posture, "wrong").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(GetPosture("targets/t/databases/d", &posture, "r3ad").ok());
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer r3ad");
  v1::CollectRequest request;
  request.set_name("targets/t/databases/d");
  v1::CollectResponse response;
  EXPECT_EQ(stub_->Collect(&context, request, &response).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(trigger_.calls, 0);
}

TEST_F(GrpcServerTest, CollectIsRateLimitedAndMapsOutcomes) {
  source_.Publish(Collected("t", "d"));
  source_.Publish(Collected("t", "e"));
  source_.SetReady();
  Start();
  EXPECT_TRUE(Collect("targets/t/databases/d").ok());
  const grpc::Status again = Collect("targets/t/databases/d");
  EXPECT_EQ(again.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(again.error_message().find("retry in"), std::string::npos) << again.error_message();
  EXPECT_EQ(Collect("targets/t/databases/nope").error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Collect("").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  trigger_.result = {CollectNowResult::Outcome::kFailed, "password authentication failed"};
  const grpc::Status failed = Collect("targets/t/databases/e");
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(failed.error_message().find("password authentication failed"), std::string::npos);
  EXPECT_EQ(trigger_.calls, 2);
}

// Publishes DDL events of targets/t/databases/d, `count` at a time.
class DdlPublisher {
 public:
  explicit DdlPublisher(PublishingSource& source) : source_(source) { Publish(0); }
  void Publish(int count) {
    for (int i = 0; i < count; ++i) {
      ++last_id_;
      v1::DdlEvent& event = *recent_.insert(recent_.begin(), Event(last_id_, 1700000000 + last_id_));
      // Large enough that the transport's flow-control window fills soon.
      event.set_statement(std::string(1000, 'x'));
    }
    if (recent_.size() > 50) recent_.resize(50);
    v1::DatabasePosture posture = Collected("t", "d");
    SetDdl(posture, recent_, last_id_ - static_cast<std::int64_t>(recent_.size()));
    source_.Publish(posture);
  }

 private:
  PublishingSource& source_;
  std::vector<v1::DdlEvent> recent_;
  std::int64_t last_id_ = 0;
};

TEST_F(GrpcServerTest, WatchDeliversNewEventsInOrder) {
  Start();
  DdlPublisher publisher(source_);  // the baseline
  grpc::ClientContext context;
  v1::WatchDdlEventsRequest request;
  request.set_parent("targets/t");
  auto reader = stub_->WatchDdlEvents(&context, request);
  reader->WaitForInitialMetadata();
  publisher.Publish(2);
  publisher.Publish(1);
  v1::WatchDdlEventsResponse message;
  std::vector<std::int64_t> ids;
  while (ids.size() < 3 && reader->Read(&message)) {
    EXPECT_EQ(message.dropped_events(), 0);
    EXPECT_EQ(message.event().database(), "targets/t/databases/d");
    ids.push_back(message.event().id());
  }
  EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 2, 3}));
  context.TryCancel();
}

TEST_F(GrpcServerTest, SlowReaderGetsADropNoticeAndNeverBlocksPublishing) {
  Start();
  DdlPublisher publisher(source_);
  grpc::ClientContext context;
  auto reader = stub_->WatchDdlEvents(&context, v1::WatchDdlEventsRequest());
  reader->WaitForInitialMetadata();
  // Far more than the stream buffers and the transport's flow-control
  // window hold, while the reader reads nothing.
  const auto started = std::chrono::steady_clock::now();
  constexpr int kEvents = 20000;
  for (int i = 0; i < kEvents / 50; ++i) publisher.Publish(50);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "publishing waited on the reader";

  std::int64_t events = 0;
  std::int64_t dropped = 0;
  std::int64_t last_id = 0;
  v1::WatchDdlEventsResponse message;
  while (events + dropped < kEvents && reader->Read(&message)) {
    if (message.has_event()) {
      EXPECT_GT(message.event().id(), last_id);
      last_id = message.event().id();
      ++events;
    }
    dropped += message.dropped_events();
  }
  EXPECT_EQ(events + dropped, kEvents);
  EXPECT_GT(dropped, 0);
  context.TryCancel();
}

TEST_F(GrpcServerTest, ShutdownEndsOpenStreamsPromptly) {
  Start();
  grpc::ClientContext context;
  auto reader = stub_->WatchDdlEvents(&context, v1::WatchDdlEventsRequest());
  reader->WaitForInitialMetadata();
  const auto started = std::chrono::steady_clock::now();
  server_->Shutdown(1s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 900ms);
  v1::WatchDdlEventsResponse message;
  EXPECT_FALSE(reader->Read(&message));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("shutting down"), std::string::npos);
}

TEST_F(GrpcServerTest, RefusesAStreamWithABadParent) {
  Start();
  grpc::ClientContext context;
  v1::WatchDdlEventsRequest request;
  request.set_parent("databases/d");
  auto reader = stub_->WatchDdlEvents(&context, request);
  v1::WatchDdlEventsResponse message;
  EXPECT_FALSE(reader->Read(&message));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("parent: ", 0), 0u);
}

}  // namespace
}  // namespace pgposture
