// Newly classified DDL events, derived from published snapshots and fanned
// out to the WatchDdlEvents streams.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "exporters/snapshot_source.h"

namespace pgposture {

/// What one publish of one database brought.
struct NewDdlEvents {
  /// Events not in the database's previous snapshot, oldest first, each
  /// with `database` set to the database's resource name.
  std::vector<v1::DdlEvent> events;
  /// Resource name, target and database name of the database.
  const v1::DatabasePosture* posture = nullptr;
  /// Events counted by the collector but already gone from the bounded
  /// recent events (more arrived in one collection than a snapshot keeps).
  std::int64_t lost = 0;
  /// How many of `lost` were out-of-band.
  std::int64_t lost_out_of_band = 0;
};

/// A receiver of the feed: one WatchDdlEvents stream.
class DdlEventSink {
 public:
  virtual ~DdlEventSink() = default;
  /// Called on the publishing thread with the feed's lock held: must not
  /// block (buffer, and write from elsewhere).
  virtual void OnEvents(const NewDdlEvents& batch) = 0;
  /// The feed closed (the server is shutting down); no call follows.
  virtual void OnClosed() = 0;
};

/// Compares each published snapshot's recent events with those of the
/// database's previous snapshot carrying DDL facts. The first such snapshot
/// of a database after the agent starts is the baseline: its events are
/// history (ListDdlEvents has them), not news.
class DdlEventFeed : public SnapshotObserver {
 public:
  /// `max_sinks`: Subscribe refuses more.
  explicit DdlEventFeed(std::size_t max_sinks) : max_sinks_(max_sinks) {}

  void OnPublished(const DatabaseSnapshot& snapshot) override;
  void OnReady() override {}

  enum class Subscribed { kYes, kFull, kClosed };
  /// Starts calling `sink` with every batch from now on.
  Subscribed Subscribe(DdlEventSink* sink);
  /// Stops calling `sink`; no call is under way once this returns.
  void Unsubscribe(DdlEventSink* sink);
  /// Calls OnClosed on every sink and refuses new ones.
  void Close();

 private:
  /// What the previous snapshot with DDL facts of one database held.
  struct Seen {
    std::set<std::int64_t> ids;
    std::int64_t total = 0;
    std::int64_t out_of_band = 0;
  };

  std::size_t max_sinks_;
  std::mutex mutex_;
  std::map<std::string, Seen> seen_;  // by resource name
  std::set<DdlEventSink*> sinks_;
  bool closed_ = false;
};

/// The count of out-of-band events in DdlFacts.events_by_classification.
std::int64_t OutOfBandCount(const v1::DdlFacts& facts);

}  // namespace pgposture
