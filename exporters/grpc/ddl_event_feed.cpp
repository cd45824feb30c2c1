#include "exporters/grpc/ddl_event_feed.h"

#include <algorithm>

namespace pgposture {
namespace {

// The key DdlFacts.events_by_classification uses for out-of-band events.
constexpr char kOutOfBandKey[] = "out_of_band";

std::int64_t Total(const v1::DdlFacts& facts) {
  std::int64_t total = 0;
  for (const auto& [classification, count] : facts.events_by_classification()) total += count;
  return total;
}

}  // namespace

std::int64_t OutOfBandCount(const v1::DdlFacts& facts) {
  const auto found = facts.events_by_classification().find(kOutOfBandKey);
  return found == facts.events_by_classification().end() ? 0 : found->second;
}

void DdlEventFeed::OnPublished(const DatabaseSnapshot& snapshot) {
  const v1::DatabasePosture& posture = *snapshot.database;
  const v1::DdlFacts& facts = posture.ddl();
  // Only a successful read of the capture sets capture_installed to true; a
  // snapshot without one says nothing about events.
  if (!facts.capture_installed()) return;

  Seen now;
  now.total = Total(facts);
  now.out_of_band = OutOfBandCount(facts);
  for (const v1::DdlEvent& event : facts.recent_events()) now.ids.insert(event.id());

  std::lock_guard<std::mutex> lock(mutex_);
  const auto previous = seen_.find(posture.name());
  if (previous == seen_.end()) {
    seen_.emplace(posture.name(), std::move(now));
    return;
  }
  NewDdlEvents batch;
  batch.posture = &posture;
  std::int64_t found_out_of_band = 0;
  // recent_events is newest first; the batch goes oldest first.
  for (auto it = facts.recent_events().rbegin(); it != facts.recent_events().rend(); ++it) {
    if (previous->second.ids.count(it->id()) != 0) continue;
    v1::DdlEvent& event = batch.events.emplace_back(*it);
    event.set_database(posture.name());
    if (event.classification() == v1::DDL_CLASSIFICATION_OUT_OF_BAND) ++found_out_of_band;
  }
  const auto found = static_cast<std::int64_t>(batch.events.size());
  batch.lost = std::max<std::int64_t>(0, now.total - previous->second.total - found);
  batch.lost_out_of_band =
      std::max<std::int64_t>(0, now.out_of_band - previous->second.out_of_band - found_out_of_band);
  previous->second = std::move(now);
  if (batch.events.empty() && batch.lost == 0) return;
  for (DdlEventSink* sink : sinks_) sink->OnEvents(batch);
}

DdlEventFeed::Subscribed DdlEventFeed::Subscribe(DdlEventSink* sink) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return Subscribed::kClosed;
  if (sinks_.size() >= max_sinks_) return Subscribed::kFull;
  sinks_.insert(sink);
  return Subscribed::kYes;
}

void DdlEventFeed::Unsubscribe(DdlEventSink* sink) {
  std::lock_guard<std::mutex> lock(mutex_);
  sinks_.erase(sink);
}

void DdlEventFeed::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  for (DdlEventSink* sink : sinks_) sink->OnClosed();
  sinks_.clear();
}

}  // namespace pgposture
