// Migration-history tables of one database: which tools, their latest
// migration, and the versions applied, so environments can be compared.
#pragma once

#include <string>
#include <vector>

#include "collectors/collector.h"
#include "collectors/migrations/migration_tools.h"
#include "collectors/tagged_rows.h"

namespace pgposture {

/// Two round trips: one finds the tables (by name in every schema, with
/// their columns and the agent's privileges), one reads all readable ones
/// with a UNION ALL built from what was found; the second is skipped when
/// there is nothing to read.
class MigrationsCollector : public Collector {
 public:
  const char* name() const override { return "migrations"; }
  Scope scope() const override { return Scope::kDatabase; }
  TaggedQuery FirstQuery() const override;
  void Collect(Session& session, v1::DatabasePosture& posture) override;
};

/// A relation named like a history table.
struct FoundHistoryTable {
  std::string schema;
  std::string table;
  std::vector<std::string> columns;
  /// Privileges the agent lacks to read it: "usage" (on the schema),
  /// "select"; empty when it may.
  std::vector<std::string> missing_privileges;
};

/// A history table the second query reads.
struct HistoryRead {
  /// Index of its entry in MigrationFacts.tables.
  int index;
  const MigrationTool* tool;
  std::string schema;
  std::string table;
};

/// Versions read per table at most.
constexpr int kMaxAppliedVersions = 1000;

/// The first query: rows `table` (schema, name, missing privileges) and
/// `column` (schema, table, column name).
std::string FindHistoryTablesQuery();

/// Pure: the tables in the first query's rows, in the order found.
std::vector<FoundHistoryTable> ParseFoundHistoryTables(const TaggedRows& rows);

/// Pure: adds every found table to `facts` (tool and table; error when the
/// agent may not read it, naming the GRANT for `agent_role`, or when its
/// columns match no tool) and returns those the second query must read.
std::vector<HistoryRead> PlanHistoryReads(const std::vector<FoundHistoryTable>& found,
                                          const std::string& agent_role, v1::MigrationFacts& facts);

/// The second query: per read, rows `version` ("index:rank", version,
/// applied at in epoch microseconds) for the newest kMaxAppliedVersions, and
/// one row `count` (index, applied count).
std::string ReadHistoryQuery(const std::vector<HistoryRead>& reads);

/// Pure: fills the read tables' latest version, time, count and versions.
void ParseHistoryRows(const TaggedRows& rows, const std::vector<HistoryRead>& reads,
                      v1::MigrationFacts& facts);

}  // namespace pgposture
