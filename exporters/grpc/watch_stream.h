// One WatchDdlEvents call.
#pragma once

#include <grpcpp/support/server_callback.h>

#include <deque>
#include <mutex>
#include <optional>

#include "exporters/grpc/ddl_event_feed.h"
#include "exporters/grpc/resource_name.h"
#include "pgposture/v1/service.pb.h"

namespace pgposture {

/// Buffers the feed's matching events and writes them one at a time. A
/// reader that falls behind loses the newest events beyond the buffer, and
/// is told how many with a drop notice at the point of the gap, so a slow
/// reader never holds up collection or other streams. Deletes itself when
/// the call is done.
class WatchStream : public grpc::ServerWriteReactor<v1::WatchDdlEventsResponse>, public DdlEventSink {
 public:
  /// Events buffered per stream at most.
  static constexpr std::size_t kBufferedEvents = 256;

  /// Subscribes to `feed` and sends the initial metadata, or finishes at
  /// once: RESOURCE_EXHAUSTED when the feed has all the streams it takes,
  /// UNAVAILABLE when it is closed.
  WatchStream(DdlEventFeed& feed, ResourceName parent, bool only_out_of_band);

  void OnEvents(const NewDdlEvents& batch) override;
  /// Ends the stream with UNAVAILABLE once the write in flight is done.
  void OnClosed() override;

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  /// Appends a drop notice of `count`, merged into a notice at the tail.
  void AddDroppedLocked(std::int64_t count);
  /// Starts the next write, or finishes when asked to and nothing is in
  /// flight. Needs mutex_.
  void WriteNextLocked();
  void FinishLocked(grpc::Status status);

  DdlEventFeed& feed_;
  const ResourceName parent_;
  const bool only_out_of_band_;

  std::mutex mutex_;
  /// Events and drop notices, in stream order.
  std::deque<v1::WatchDdlEventsResponse> queue_;
  std::size_t queued_events_ = 0;
  /// No write may start before the initial metadata was started.
  bool started_ = false;
  bool writing_ = false;
  /// Finish after the write in flight.
  std::optional<grpc::Status> finish_after_write_;
  bool finished_ = false;
  v1::WatchDdlEventsResponse in_flight_;
};

}  // namespace pgposture
