#include "tests/unit/exporters/grpc/grpc_fixtures.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

namespace pgposture::testing {

using google::protobuf::util::TimeUtil;

v1::DatabasePosture Collected(const std::string& target, const std::string& database,
                              const std::string& environment) {
  v1::DatabasePosture posture;
  posture.set_name("targets/" + target + "/databases/" + database);
  posture.set_target(target);
  posture.set_database(database);
  posture.set_environment(environment);
  *posture.mutable_collection()->mutable_collected_at() = TimeUtil::SecondsToTimestamp(1700000000);
  *posture.mutable_collection()->mutable_last_success_at() = TimeUtil::SecondsToTimestamp(1700000000);
  posture.set_maturity_level(v1::MATURITY_LEVEL_COLLABORATING);
  posture.set_required_level(v1::MATURITY_LEVEL_PRODUCTION);
  return posture;
}

void AddFinding(v1::DatabasePosture& posture, const std::string& check_id, v1::CheckStatus status,
                v1::Severity severity, v1::MaturityLevel level) {
  v1::Finding& finding = *posture.add_findings();
  finding.set_check_id(check_id);
  finding.set_status(status);
  finding.set_severity(severity);
  finding.set_level(level);
}

v1::DdlEvent Event(std::int64_t id, std::int64_t seconds, v1::DdlClassification classification) {
  v1::DdlEvent event;
  event.set_id(id);
  *event.mutable_time() = TimeUtil::SecondsToTimestamp(seconds);
  event.set_command_tag("CREATE TABLE");
  event.set_object_identity("public.t" + std::to_string(id));
  event.set_classification(classification);
  return event;
}

void SetDdl(v1::DatabasePosture& posture, const std::vector<v1::DdlEvent>& newest_first,
            std::int64_t extra_out_of_band) {
  v1::DdlFacts& ddl = *posture.mutable_ddl();
  ddl.Clear();
  ddl.set_capture_installed(true);
  ddl.set_capture_enabled(true);
  auto& counts = *ddl.mutable_events_by_classification();
  if (extra_out_of_band > 0) counts["out_of_band"] += extra_out_of_band;
  for (const v1::DdlEvent& event : newest_first) {
    *ddl.add_recent_events() = event;
    ++counts[event.classification() == v1::DDL_CLASSIFICATION_OUT_OF_BAND ? "out_of_band" : "migration"];
  }
}

void PublishingSource::Publish(const v1::DatabasePosture& database) {
  DatabaseSnapshot snapshot{nullptr, std::make_shared<const v1::DatabasePosture>(database)};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = std::find_if(snapshots_.begin(), snapshots_.end(), [&](const DatabaseSnapshot& s) {
      return s.database->name() == database.name();
    });
    if (found != snapshots_.end()) {
      *found = snapshot;
    } else {
      snapshots_.push_back(snapshot);
      std::sort(snapshots_.begin(), snapshots_.end(),
                [](const DatabaseSnapshot& a, const DatabaseSnapshot& b) {
                  return a.database->name() < b.database->name();
                });
    }
  }
  NotifyPublished(snapshot);
}

void PublishingSource::SetReady() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ready_ = true;
  }
  NotifyReady();
}

std::vector<DatabaseSnapshot> PublishingSource::List() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return snapshots_;
}

bool PublishingSource::ready() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ready_;
}

}  // namespace pgposture::testing
