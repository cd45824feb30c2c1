// What a GetPosture costs: 16 concurrent callers, each issuing its next call
// as soon as the previous one returns, against the gRPC server while the
// agent collects a real cluster every second. Prints throughput and p50/p99
// latency (goal on 2 cores: at least 20,000 calls/s, p99 under 2 ms). The
// callers take the answers as bytes, without parsing them, so that the
// machine's cores go to the server being measured.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "agent/collect/scheduler.h"
#include "agent/install/installer.h"
#include "exporters/grpc/grpc_server.h"
#include "pgposture/v1/service.grpc.pb.h"
#include "tests/bench/stop_signal.h"
#include "tests/harness/pg_cluster.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using pgposture::testing::PgCluster;

constexpr int kCallers = 16;
constexpr auto kWarmUp = 1s;
constexpr auto kMeasured = 5s;
constexpr const char* kDatabase = "targets/bench/databases/postgres";

// One caller: a GetPosture in flight at all times until told to stop.
class Caller {
 public:
  Caller(grpc::GenericStub& stub, Clock::time_point from, Clock::time_point until)
      : stub_(stub), from_(from), until_(until) {
    pgposture::v1::GetPostureRequest request;
    request.set_name(kDatabase);
    grpc::Slice slice(request.SerializeAsString());
    request_ = grpc::ByteBuffer(&slice, 1);
  }

  void Start() { Issue(); }

  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    done_changed_.wait(lock, [this] { return done_; });
  }

  /// Latencies of calls made entirely within the measured window, in µs.
  const std::vector<std::int64_t>& latencies() const { return latencies_; }
  int failures() const { return failures_; }

 private:
  void Issue() {
    context_ = std::make_unique<grpc::ClientContext>();
    started_ = Clock::now();
    stub_.UnaryCall(context_.get(), "/pgposture.v1.PostureService/GetPosture", grpc::StubOptions(), &request_,
                    &response_, [this](grpc::Status status) { Completed(status); });
  }

  void Completed(const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    if (!status.ok()) ++failures_;
    if (started_ >= from_ && now <= until_) {
      latencies_.push_back(std::chrono::duration_cast<std::chrono::microseconds>(now - started_).count());
    }
    if (now < until_) {
      Issue();
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
    done_changed_.notify_all();
  }

  grpc::GenericStub& stub_;
  const Clock::time_point from_;
  const Clock::time_point until_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::unique_ptr<grpc::ClientContext> context_;
  Clock::time_point started_;
  std::vector<std::int64_t> latencies_;
  int failures_ = 0;
  std::mutex mutex_;
  std::condition_variable done_changed_;
  bool done_ = false;
};

std::int64_t Percentile(const std::vector<std::int64_t>& sorted, double fraction) {
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(fraction * sorted.size()))];
}

// Counts the snapshots published while the load runs, to show that
// collection went on.
class PublishCounter : public pgposture::SnapshotObserver {
 public:
  void OnPublished(const pgposture::DatabaseSnapshot&) override { ++published; }
  void OnReady() override {}
  std::atomic<int> published{0};
};

}  // namespace

int main() {
  pgposture::bench::EndOnStopSignal();
  PgCluster cluster;
  const pgposture::bench::StopCleanup destroy_on_stop([&cluster] { cluster.Destroy(); });
  cluster.Psql("CREATE ROLE agent LOGIN PASSWORD 'bench' IN ROLE pg_monitor, pg_read_all_settings");
  pgposture::Install(cluster.Dsn(), "agent");
  // A posture as large as a busy database's: a full list of recent DDL events.
  std::string ddl = "SET application_name = 'psql';\n";
  for (int i = 0; i < 60; ++i) ddl += "CREATE TABLE public.bench_" + std::to_string(i) + " (id int);\n";
  cluster.Psql(ddl);

  pgposture::Config config;
  config.agent.interval = 1s;
  config.agent.timeout = 1s;
  pgposture::TargetConfig target;
  target.name = "bench";
  target.dsn = cluster.Dsn("postgres", "agent") + " password=bench";
  target.environment = "prod";
  config.targets.push_back(target);

  pgposture::SnapshotStore store;
  pgposture::Scheduler scheduler(config, store, /*backoff=*/true);
  pgposture::GrpcServerOptions options;
  options.address = "127.0.0.1:0";
  pgposture::GrpcServer server(options, store, &scheduler);
  auto publishes = std::make_shared<PublishCounter>();
  store.AddObserver(publishes);
  std::thread collecting([&] { scheduler.Run(); });
  while (!store.ready()) std::this_thread::sleep_for(10ms);

  const auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto stub = pgposture::v1::PostureService::NewStub(channel);
  grpc::GenericStub generic(channel);
  pgposture::v1::DatabasePosture posture;
  {
    grpc::ClientContext context;
    pgposture::v1::GetPostureRequest request;
    request.set_name(kDatabase);
    const grpc::Status status = stub->GetPosture(&context, request, &posture);
    if (!status.ok()) {
      std::fprintf(stderr, "GetPosture failed: %s\n", status.error_message().c_str());
      return 1;
    }
  }

  const Clock::time_point from = Clock::now() + kWarmUp;
  const Clock::time_point until = from + kMeasured;
  const int published_before = publishes->published;
  std::vector<std::unique_ptr<Caller>> callers;
  for (int i = 0; i < kCallers; ++i) callers.push_back(std::make_unique<Caller>(generic, from, until));
  for (auto& caller : callers) caller->Start();
  for (auto& caller : callers) caller->Wait();
  const int published = publishes->published - published_before;

  scheduler.Stop(1s);
  collecting.join();
  server.Shutdown(1s);

  std::vector<std::int64_t> latencies;
  int failures = 0;
  for (const auto& caller : callers) {
    latencies.insert(latencies.end(), caller->latencies().begin(), caller->latencies().end());
    failures += caller->failures();
  }
  std::sort(latencies.begin(), latencies.end());
  const double seconds = std::chrono::duration<double>(kMeasured).count();
  std::printf("GetPosture, %d concurrent callers, %.0f s, collecting every %lld s (%d snapshots published)\n",
              kCallers, seconds, static_cast<long long>(config.agent.interval.count() / 1000), published);
  std::printf("%-22s %10zu bytes\n", "posture size", posture.ByteSizeLong());
  std::printf("%-22s %10.0f   (goal >= 20000)\n", "calls/s", latencies.size() / seconds);
  std::printf("%-22s %10.3f ms\n", "p50", Percentile(latencies, 0.50) / 1000.0);
  std::printf("%-22s %10.3f ms   (goal < 2)\n", "p99", Percentile(latencies, 0.99) / 1000.0);
  std::printf("%-22s %10d\n", "failed calls", failures);
  return failures == 0 ? 0 : 1;
}
