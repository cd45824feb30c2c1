#include "exporters/grpc/watch_stream.h"

namespace pgposture {

WatchStream::WatchStream(DdlEventFeed& feed, ResourceName parent, bool only_out_of_band)
    : feed_(feed), parent_(std::move(parent)), only_out_of_band_(only_out_of_band) {
  // Subscribed without mutex_ held: the feed calls OnEvents with its own lock
  // held, which then takes mutex_.
  const DdlEventFeed::Subscribed subscribed = feed_.Subscribe(this);
  std::lock_guard<std::mutex> lock(mutex_);
  if (subscribed == DdlEventFeed::Subscribed::kFull) {
    FinishLocked(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                              "too many WatchDdlEvents streams are open; close one or retry later"));
    return;
  }
  if (subscribed == DdlEventFeed::Subscribed::kClosed) {
    FinishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE, "pgposture is shutting down"));
    return;
  }
  // Tells the client it is subscribed: every event classified from now on
  // reaches it.
  StartSendInitialMetadata();
  started_ = true;
  WriteNextLocked();
}

void WatchStream::OnEvents(const NewDdlEvents& batch) {
  if (!Contains(parent_, *batch.posture)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_ || finish_after_write_) return;
  for (const v1::DdlEvent& event : batch.events) {
    if (only_out_of_band_ && event.classification() != v1::DDL_CLASSIFICATION_OUT_OF_BAND) continue;
    if (queued_events_ >= kBufferedEvents) {
      AddDroppedLocked(1);
      continue;
    }
    *queue_.emplace_back().mutable_event() = event;
    ++queued_events_;
  }
  AddDroppedLocked(only_out_of_band_ ? batch.lost_out_of_band : batch.lost);
  WriteNextLocked();
}

void WatchStream::AddDroppedLocked(std::int64_t count) {
  if (count == 0) return;
  if (queue_.empty() || queue_.back().has_event()) queue_.emplace_back();
  queue_.back().set_dropped_events(queue_.back().dropped_events() + count);
}

void WatchStream::OnClosed() {
  std::lock_guard<std::mutex> lock(mutex_);
  queue_.clear();
  queued_events_ = 0;
  FinishLocked(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "pgposture is shutting down; watch again once it is back"));
}

void WatchStream::OnWriteDone(bool ok) {
  std::lock_guard<std::mutex> lock(mutex_);
  writing_ = false;
  if (!ok) {
    // The call broke (client gone); it still needs its Finish.
    queue_.clear();
    queued_events_ = 0;
    FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the stream broke"));
    return;
  }
  if (finish_after_write_) {
    FinishLocked(*finish_after_write_);
    return;
  }
  WriteNextLocked();
}

void WatchStream::OnCancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  queue_.clear();
  queued_events_ = 0;
  FinishLocked(grpc::Status::CANCELLED);
}

void WatchStream::OnDone() {
  feed_.Unsubscribe(this);
  delete this;
}

void WatchStream::WriteNextLocked() {
  if (!started_ || writing_ || finished_ || queue_.empty()) return;
  in_flight_ = std::move(queue_.front());
  queue_.pop_front();
  if (in_flight_.has_event()) --queued_events_;
  writing_ = true;
  StartWrite(&in_flight_);
}

void WatchStream::FinishLocked(grpc::Status status) {
  if (finished_) return;
  if (writing_) {
    if (!finish_after_write_) finish_after_write_ = std::move(status);
    return;
  }
  finished_ = true;
  Finish(std::move(status));
}

}  // namespace pgposture
