// What the agent remembers of a database's captured DDL between cycles.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collectors/ddl/ddl_classifier.h"
#include "collectors/tagged_rows.h"
#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// One read of the capture (DdlCollector's statement, from `since`).
struct DdlCaptureRead {
  /// The server's snapshot xmin: transactions below it have finished.
  std::uint64_t xmin = 0;
  /// Event trigger name -> pg_event_trigger.evtenabled.
  std::map<std::string, std::string> triggers;
  std::int64_t failures = 0;
  /// Events of transactions from `since` on, by id, wrote_history set.
  std::vector<v1::DdlEvent> events;
};

/// Pure part of the collector: the rows of that statement. Throws
/// std::runtime_error on an event it cannot parse.
DdlCaptureRead ParseDdlCaptureRows(const TaggedRows& rows);

/// Counts every captured event exactly once, across cycles, reconnects and
/// agent restarts. Events are read by transaction: each read returns every
/// event of transactions at or above the previous read's xmin, so an event
/// whose transaction committed late (with an id below ones already read) is
/// still seen; ids already counted from those transactions are remembered
/// until their transactions fall below xmin. After a restart the history
/// starts empty and reads from the beginning, rebuilding the same counts
/// from the table instead of adding to them.
class DdlHistory {
 public:
  /// `window`: how long an out-of-band change keeps counting against the
  /// database (policy.ddl.window).
  explicit DdlHistory(std::chrono::milliseconds window) : window_(window) {}

  /// Where the next read starts.
  std::uint64_t since() const { return since_; }

  /// Counts the new events of `read`, classified by `classifier`.
  void Apply(DdlCaptureRead read, const DdlClassifier& classifier, std::chrono::system_clock::time_point now);

  /// Writes the counts, the recent events and the window count into `facts`.
  void Fill(v1::DdlFacts& facts) const;

 private:
  static constexpr size_t kRecentEvents = 50;

  std::chrono::milliseconds window_;
  std::uint64_t since_ = 0;
  /// Ids already counted whose transactions were at or above since_.
  std::map<std::int64_t, std::uint64_t> counted_above_since_;
  std::map<std::string, std::int64_t> by_classification_;
  std::map<std::string, std::int64_t> by_command_tag_;
  std::deque<v1::DdlEvent> recent_;  // newest first
  std::optional<v1::DdlEvent> last_out_of_band_;
  /// Times of the out-of-band events within the window.
  std::multiset<std::int64_t> out_of_band_in_window_;
};

/// "out_of_band" for DDL_CLASSIFICATION_OUT_OF_BAND, as metrics and maps name it.
std::string ClassificationName(v1::DdlClassification classification);

}  // namespace pgposture
