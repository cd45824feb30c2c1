// Cluster-wide WAL archiving facts: settings, archiver, backlog, slots, and
// the backup mode they amount to.
#pragma once

#include <chrono>

#include "collectors/collector.h"
#include "collectors/collector_options.h"
#include "collectors/guarded_call.h"
#include "collectors/tagged_rows.h"

namespace pgposture {

class BackupCollector : public Collector {
 public:
  explicit BackupCollector(const CollectorOptions& options);
  const char* name() const override { return "backup"; }
  Scope scope() const override { return Scope::kCluster; }
  TaggedQuery FirstQuery() const override;
  void Collect(Session& session, v1::DatabasePosture& posture) override;

 private:
  std::chrono::milliseconds max_archive_age_;
  GuardedCallReader ready_;  // pg_ls_archive_statusdir(), for the ready count
};

/// Pure part: fills `facts`, mode included, from the collector query's rows.
void ParseBackupRows(const TaggedRows& rows, std::chrono::milliseconds max_archive_age,
                     v1::BackupFacts& facts);

}  // namespace pgposture
