// Snapshots and a publishing snapshot source for the gRPC exporter's tests.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "exporters/snapshot_source.h"

namespace pgposture::testing {

/// The database part of a successful collection of targets/{target}/databases/{database}.
v1::DatabasePosture Collected(const std::string& target, const std::string& database,
                              const std::string& environment = "prod");

/// Adds a finding to `posture`.
void AddFinding(v1::DatabasePosture& posture, const std::string& check_id, v1::CheckStatus status,
                v1::Severity severity = v1::SEVERITY_WARNING,
                v1::MaturityLevel level = v1::MATURITY_LEVEL_PRODUCTION);

/// A DDL event with id `id` at unix time `seconds`.
v1::DdlEvent Event(std::int64_t id, std::int64_t seconds,
                   v1::DdlClassification classification = v1::DDL_CLASSIFICATION_OUT_OF_BAND);

/// Sets the DDL facts of `posture` as the collector does after reading the
/// capture: the recent events, newest first, and classification counts of
/// those plus `extra_out_of_band` out-of-band events no longer among them.
void SetDdl(v1::DatabasePosture& posture, const std::vector<v1::DdlEvent>& newest_first,
            std::int64_t extra_out_of_band = 0);

/// A SnapshotSource that publishes like the agent's store, in memory.
class PublishingSource : public SnapshotSource {
 public:
  void Publish(const v1::DatabasePosture& database);
  void SetReady();
  std::vector<DatabaseSnapshot> List() const override;
  bool ready() const override;

 private:
  mutable std::mutex mutex_;
  std::vector<DatabaseSnapshot> snapshots_;
  bool ready_ = false;
};

}  // namespace pgposture::testing
