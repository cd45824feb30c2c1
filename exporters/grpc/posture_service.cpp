#include "exporters/grpc/posture_service.h"

#include "exporters/grpc/listing.h"
#include "exporters/grpc/resource_name.h"
#include "exporters/grpc/watch_stream.h"

namespace pgposture {
namespace {

using Clock = std::chrono::steady_clock;

// A call without a deadline waits this long at most for a collection cycle
// in progress before its own collection starts.
constexpr std::chrono::minutes kCollectWaitWithoutDeadline{1};

std::optional<std::string_view> Authorization(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find("authorization");
  if (found == metadata.end()) return std::nullopt;
  return std::string_view(found->second.data(), found->second.size());
}

grpc::Status NotReady() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "no collection cycle has finished yet since pgposture started; retry shortly");
}

Clock::time_point SteadyDeadline(const grpc::CallbackServerContext& context) {
  const auto deadline = context.deadline();
  const auto now = std::chrono::system_clock::now();
  if (deadline - now > kCollectWaitWithoutDeadline) return Clock::now() + kCollectWaitWithoutDeadline;
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(deadline - now);
}

// Whole seconds, rounded up, for "retry in 3s".
std::string Seconds(Clock::duration duration) {
  return std::to_string(std::chrono::ceil<std::chrono::seconds>(duration).count()) + "s";
}

// Runs `body` unless the read is refused, and finishes the call.
template <typename Body>
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context, grpc::Status refused, Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(refused.ok() ? body() : refused);
  return reactor;
}

}  // namespace

PostureService::PostureService(const SnapshotSource& source, CollectTrigger* trigger, BearerAuth auth)
    : source_(source), auth_(std::move(auth)), feed_(std::make_shared<DdlEventFeed>(kWatchStreams)) {
  if (trigger != nullptr) collects_ = std::make_unique<CollectQueue>(*trigger, kQueuedCollects);
  source_.AddObserver(feed_);
}

PostureService::~PostureService() {
  Stop();
  source_.RemoveObserver(feed_.get());
}

void PostureService::Stop() {
  feed_->Close();
  if (collects_) collects_->Stop();
}

bool PostureService::WaitCollectsDone(Clock::time_point deadline) {
  return !collects_ || collects_->WaitIdle(deadline);
}

grpc::Status PostureService::CheckRead(grpc::CallbackServerContext* context) const {
  grpc::Status status = auth_.Check(Authorization(*context), Access::kRead);
  if (status.ok() && !source_.ready()) return NotReady();
  return status;
}

grpc::Status PostureService::Snapshot(const std::string& name, DatabaseSnapshot* out) const {
  std::optional<DatabaseSnapshot> snapshot = source_.Find(name);
  if (!snapshot) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "name: " + name + " not found; ListTargets shows the databases audited");
  }
  const v1::CollectionInfo& collection = snapshot->database->collection();
  if (!collection.has_last_success_at()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        name + " has not been collected successfully yet: " + collection.error());
  }
  *out = std::move(*snapshot);
  return grpc::Status::OK;
}

grpc::ByteBuffer PostureService::SerializedPosture(const std::string& name,
                                                   const DatabaseSnapshot& snapshot) {
  std::lock_guard<std::mutex> lock(serialized_mutex_);
  Serialized& serialized = serialized_[name];
  if (serialized.parts.cluster != snapshot.cluster || serialized.parts.database != snapshot.database) {
    serialized.parts = snapshot;
    grpc::Slice slice(MergedPosture(snapshot).SerializeAsString());
    serialized.bytes = grpc::ByteBuffer(&slice, 1);
  }
  // Copies share the slice: no bytes are copied per call.
  return serialized.bytes;
}

grpc::ServerUnaryReactor* PostureService::ListTargets(grpc::CallbackServerContext* context,
                                                      const v1::ListTargetsRequest* request,
                                                      v1::ListTargetsResponse* response) {
  return Answer(context, CheckRead(context),
                [&] { return pgposture::ListTargets(source_.List(), *request, response); });
}

grpc::ServerUnaryReactor* PostureService::GetPosture(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) {
  return Answer(context, CheckRead(context), [&] {
    v1::GetPostureRequest parsed;
    grpc::ByteBuffer bytes(*request);
    if (!grpc::SerializationTraits<v1::GetPostureRequest>::Deserialize(&bytes, &parsed).ok()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "request: not a GetPostureRequest");
    }
    ResourceName name;
    if (grpc::Status status = ParseDatabaseName("name", parsed.name(), &name); !status.ok()) return status;
    DatabaseSnapshot snapshot;
    grpc::Status status = Snapshot(parsed.name(), &snapshot);
    if (status.ok()) *response = SerializedPosture(parsed.name(), snapshot);
    return status;
  });
}

grpc::ServerUnaryReactor* PostureService::ListFindings(grpc::CallbackServerContext* context,
                                                       const v1::ListFindingsRequest* request,
                                                       v1::ListFindingsResponse* response) {
  return Answer(context, CheckRead(context),
                [&] { return pgposture::ListFindings(source_.List(), *request, response); });
}

grpc::ServerUnaryReactor* PostureService::ListDdlEvents(grpc::CallbackServerContext* context,
                                                        const v1::ListDdlEventsRequest* request,
                                                        v1::ListDdlEventsResponse* response) {
  return Answer(context, CheckRead(context),
                [&] { return pgposture::ListDdlEvents(source_.List(), *request, response); });
}

grpc::ServerWriteReactor<v1::WatchDdlEventsResponse>* PostureService::WatchDdlEvents(
    grpc::CallbackServerContext* context, const v1::WatchDdlEventsRequest* request) {
  // Streams may open before the first cycle: they wait for events anyway.
  grpc::Status status = auth_.Check(Authorization(*context), Access::kRead);
  ResourceName parent;
  if (status.ok()) status = ParseParent("parent", request->parent(), &parent);
  if (!status.ok()) {
    // A stream that fails at once still needs a reactor to finish with.
    struct Refused : grpc::ServerWriteReactor<v1::WatchDdlEventsResponse> {
      explicit Refused(grpc::Status why) { Finish(std::move(why)); }
      void OnDone() override { delete this; }
    };
    return new Refused(std::move(status));
  }
  return new WatchStream(*feed_, std::move(parent), request->only_out_of_band());
}

grpc::Status PostureService::CollectStatus(const std::string& name, const CollectNowResult& result) {
  switch (result.outcome) {
    case CollectNowResult::Outcome::kCollected:
      return grpc::Status::OK;
    case CollectNowResult::Outcome::kFailed:
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "collecting " + name + " failed: " + result.error +
                                                             "; its previous facts stay published");
    case CollectNowResult::Outcome::kUnknown:
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "name: " + name + " is no longer audited");
    case CollectNowResult::Outcome::kDeadlineExceeded:
      return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                          "the deadline passed before " + name + " was collected");
    case CollectNowResult::Outcome::kStopping:
      break;
  }
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "pgposture is shutting down");
}

grpc::ServerUnaryReactor* PostureService::Collect(grpc::CallbackServerContext* context,
                                                  const v1::CollectRequest* request,
                                                  v1::CollectResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const std::string& name = request->name();
  const auto refuse = [reactor](grpc::Status status) {
    reactor->Finish(std::move(status));
    return reactor;
  };
  if (!collects_) return refuse(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "this server cannot collect"));
  if (grpc::Status status = auth_.Check(Authorization(*context), Access::kCollect); !status.ok()) {
    return refuse(status);
  }
  ResourceName database;
  if (grpc::Status status = ParseDatabaseName("name", name, &database); !status.ok()) return refuse(status);
  if (!source_.ready()) return refuse(NotReady());
  // Only names that exist reach the rate limiter, so it cannot be filled
  // with made-up ones.
  if (!source_.Find(name)) {
    return refuse(grpc::Status(grpc::StatusCode::NOT_FOUND,
                               "name: " + name + " not found; ListTargets shows the databases audited"));
  }
  Clock::duration retry_after{};
  if (!collect_limiter_.TryStart(name, Clock::now(), &retry_after)) {
    return refuse(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                               name + " was collected on demand less than " + Seconds(kCollectInterval) +
                                   " ago; retry in " + Seconds(retry_after)));
  }
  CollectJob job{database.target, database.database, SteadyDeadline(*context),
                 [this, reactor, response, name](const CollectNowResult& result) {
                   grpc::Status status = CollectStatus(name, result);
                   DatabaseSnapshot snapshot;
                   if (status.ok()) status = Snapshot(name, &snapshot);
                   if (status.ok()) *response->mutable_posture() = MergedPosture(snapshot);
                   reactor->Finish(std::move(status));
                 }};
  if (!collects_->Submit(std::move(job))) {
    return refuse(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                               "too many Collect calls are waiting; retry later"));
  }
  return reactor;
}

}  // namespace pgposture
