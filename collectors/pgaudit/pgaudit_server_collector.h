// Cluster-wide pgaudit facts: is the library loaded, and its server settings.
#pragma once

#include "collectors/collector.h"
#include "collectors/tagged_rows.h"

namespace pgposture {

class PgauditServerCollector : public Collector {
 public:
  const char* name() const override { return "pgaudit_server"; }
  Scope scope() const override { return Scope::kCluster; }
  TaggedQuery FirstQuery() const override;
  void Collect(Session& session, v1::DatabasePosture& posture) override;
};

/// Pure part: fills `facts` from the collector query's rows.
void ParsePgauditServerRows(const TaggedRows& rows, v1::PgauditFacts& facts);

}  // namespace pgposture
