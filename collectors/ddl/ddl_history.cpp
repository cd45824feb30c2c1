#include "collectors/ddl/ddl_history.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

v1::DdlEvent ParseEvent(const std::string& json) {
  v1::DdlEvent event;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &event, options);
  if (!status.ok()) throw std::runtime_error("unreadable DDL event: " + status.ToString());
  return event;
}

}  // namespace

std::string ClassificationName(v1::DdlClassification classification) {
  std::string name = v1::DdlClassification_Name(classification).substr(sizeof("DDL_CLASSIFICATION_") - 1);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

DdlCaptureRead ParseDdlCaptureRows(const TaggedRows& rows) {
  DdlCaptureRead read;
  for (const TaggedRow& row : rows) {
    if (row.kind == "xmin") {
      read.xmin = std::stoull(row.a.value_or("0"));
    } else if (row.kind == "trigger") {
      read.triggers[row.a.value_or("")] = row.b.value_or("");
    } else if (row.kind == "failures") {
      read.failures = std::stoll(row.a.value_or("0"));
    } else if (row.kind == "event") {
      v1::DdlEvent& event = read.events.emplace_back(ParseEvent(row.a.value_or("{}")));
      event.set_wrote_history(IsTrue(row.c));
    }
  }
  std::sort(read.events.begin(), read.events.end(),
            [](const v1::DdlEvent& a, const v1::DdlEvent& b) { return a.id() < b.id(); });
  return read;
}

void DdlHistory::Apply(DdlCaptureRead read, const DdlClassifier& classifier,
                       std::chrono::system_clock::time_point now) {
  const std::int64_t window_start =
      std::chrono::duration_cast<std::chrono::seconds>((now - window_).time_since_epoch()).count();
  for (v1::DdlEvent& event : read.events) {
    if (counted_above_since_.count(event.id())) continue;
    counted_above_since_[event.id()] = static_cast<std::uint64_t>(event.transaction_id());
    classifier.Classify(event);
    ++by_classification_[ClassificationName(event.classification())];
    ++by_command_tag_[event.command_tag()];
    if (event.classification() == v1::DDL_CLASSIFICATION_OUT_OF_BAND) {
      if (event.time().seconds() >= window_start) out_of_band_in_window_.insert(event.time().seconds());
      if (!last_out_of_band_ || event.time().seconds() >= last_out_of_band_->time().seconds()) {
        last_out_of_band_ = event;
      }
    }
    recent_.push_front(std::move(event));
    if (recent_.size() > kRecentEvents) recent_.pop_back();
  }
  out_of_band_in_window_.erase(out_of_band_in_window_.begin(),
                               out_of_band_in_window_.lower_bound(window_start));
  // Transactions below the new xmin are final: their ids need no memory.
  since_ = std::max(since_, read.xmin);
  for (auto it = counted_above_since_.begin(); it != counted_above_since_.end();) {
    it = it->second < since_ ? counted_above_since_.erase(it) : std::next(it);
  }
}

void DdlHistory::Fill(v1::DdlFacts& facts) const {
  facts.mutable_events_by_classification()->insert(by_classification_.begin(), by_classification_.end());
  facts.mutable_events_by_command_tag()->insert(by_command_tag_.begin(), by_command_tag_.end());
  for (const v1::DdlEvent& event : recent_) *facts.add_recent_events() = event;
  if (last_out_of_band_) {
    *facts.mutable_last_out_of_band() = *last_out_of_band_;
    *facts.mutable_last_out_of_band_at() = last_out_of_band_->time();
  }
  facts.set_out_of_band_in_window(static_cast<std::int64_t>(out_of_band_in_window_.size()));
  facts.set_cursor(static_cast<std::int64_t>(since_));
}

}  // namespace pgposture
