// The last base backup, as pgbackrest itself reports it: no catalog has it.
#pragma once

#include <chrono>
#include <string>

#include "collectors/collector.h"
#include "collectors/collector_options.h"

namespace pgposture {

/// Runs `pgbackrest --stanza=S --output=json info` on the agent's host, so
/// pgbackrest must be installed there with access to the repository (its
/// configuration file or PGBACKREST_* variables in the agent's environment).
/// Registered only for targets with a stanza.
class PgbackrestCollector : public Collector {
 public:
  explicit PgbackrestCollector(const CollectorOptions& options)
      : stanza_(options.pgbackrest_stanza), timeout_(options.backup_tool_timeout) {}
  const char* name() const override { return "pgbackrest"; }
  Scope scope() const override { return Scope::kCluster; }
  /// Runs no SQL: `session` is not used.
  void Collect(Session& session, v1::DatabasePosture& posture) override;

 private:
  std::string stanza_;
  std::chrono::milliseconds timeout_;
};

/// Pure part: the newest backup of `stanza` without errors in `json`.
/// Throws std::runtime_error, saying what to do, when the output is not
/// pgbackrest's JSON, lacks the stanza, or the stanza has no valid backup.
v1::BaseBackup ParsePgbackrestInfo(const std::string& json, const std::string& stanza);

}  // namespace pgposture
