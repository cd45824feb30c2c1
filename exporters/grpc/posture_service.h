// pgposture.v1.PostureService over the snapshots, with the callback API.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "exporters/collect_trigger.h"
#include "exporters/grpc/bearer_auth.h"
#include "exporters/grpc/collect_queue.h"
#include "exporters/grpc/ddl_event_feed.h"
#include "exporters/snapshot_source.h"
#include "pgposture/v1/service.grpc.pb.h"

namespace pgposture {

/// Answers from the latest snapshots; only Collect reaches a database, via
/// the trigger, on its own thread. GetPosture, the hot path, answers with
/// bytes serialized once per snapshot instead of copying and serializing a
/// message per call.
class PostureService final
    : public v1::PostureService::WithRawCallbackMethod_GetPosture<v1::PostureService::CallbackService> {
 public:
  /// At most one Collect per database this often.
  static constexpr std::chrono::seconds kCollectInterval{10};
  /// Collect calls waiting at most.
  static constexpr std::size_t kQueuedCollects = 16;
  /// WatchDdlEvents streams open at most.
  static constexpr std::size_t kWatchStreams = 100;

  /// `trigger` may be null: Collect then answers UNIMPLEMENTED.
  PostureService(const SnapshotSource& source, CollectTrigger* trigger, BearerAuth auth);
  ~PostureService() override;

  /// Ends every watch stream and pending Collect with UNAVAILABLE, and
  /// refuses new ones; returns at once.
  void Stop();
  /// Waits until no on-demand collection runs; false when `deadline` came first.
  bool WaitCollectsDone(std::chrono::steady_clock::time_point deadline);

  grpc::ServerUnaryReactor* ListTargets(grpc::CallbackServerContext* context,
                                        const v1::ListTargetsRequest* request,
                                        v1::ListTargetsResponse* response) override;
  grpc::ServerUnaryReactor* GetPosture(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListFindings(grpc::CallbackServerContext* context,
                                         const v1::ListFindingsRequest* request,
                                         v1::ListFindingsResponse* response) override;
  grpc::ServerUnaryReactor* ListDdlEvents(grpc::CallbackServerContext* context,
                                          const v1::ListDdlEventsRequest* request,
                                          v1::ListDdlEventsResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchDdlEventsResponse>* WatchDdlEvents(
      grpc::CallbackServerContext* context, const v1::WatchDdlEventsRequest* request) override;
  grpc::ServerUnaryReactor* Collect(grpc::CallbackServerContext* context, const v1::CollectRequest* request,
                                    v1::CollectResponse* response) override;

 private:
  /// Authorization, then readiness: what every read checks first.
  grpc::Status CheckRead(grpc::CallbackServerContext* context) const;
  /// The snapshot of database `name` (a resource name); NOT_FOUND or
  /// UNAVAILABLE when there is none to give.
  grpc::Status Snapshot(const std::string& name, DatabaseSnapshot* out) const;
  /// Its merged posture, serialized, from a cache that serializes each
  /// snapshot once.
  grpc::ByteBuffer SerializedPosture(const std::string& name, const DatabaseSnapshot& snapshot);
  grpc::Status CollectStatus(const std::string& name, const CollectNowResult& result);

  /// A serialized merged posture and the snapshot parts it was made from.
  struct Serialized {
    DatabaseSnapshot parts;
    grpc::ByteBuffer bytes;
  };

  const SnapshotSource& source_;
  const BearerAuth auth_;
  std::shared_ptr<DdlEventFeed> feed_;
  RateLimiter collect_limiter_{kCollectInterval};
  std::unique_ptr<CollectQueue> collects_;

  std::mutex serialized_mutex_;
  std::map<std::string, Serialized> serialized_;  // by resource name
};

}  // namespace pgposture
