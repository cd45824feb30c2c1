// pgaudit facts of one database: extension, event triggers, overrides and
// the effective coverage per login role.
#pragma once

#include "collectors/collector.h"
#include "collectors/tagged_rows.h"

namespace pgposture {

class PgauditDatabaseCollector : public Collector {
 public:
  const char* name() const override { return "pgaudit_database"; }
  Scope scope() const override { return Scope::kDatabase; }
  TaggedQuery FirstQuery() const override;
  void Collect(Session& session, v1::DatabasePosture& posture) override;
};

/// Pure part: fills `facts` from the collector query's rows.
void ParsePgauditDatabaseRows(const TaggedRows& rows, const std::string& database,
                              const std::string& agent_role, v1::PgauditFacts& facts);

}  // namespace pgposture
