// The migration tools whose history tables pgposture recognises, and how each
// one's table is read.
#pragma once

#include <string>
#include <vector>

namespace pgposture {

/// One tool's history table. SQL fragments read the table under alias `t`.
struct MigrationTool {
  const char* tool;
  /// Schema the table must be in; nullptr: any schema but pg_catalog and
  /// information_schema (flyway, liquibase and others follow search_path).
  const char* schema;
  const char* table;
  /// Every column the fragments read: a table named like the tool's but
  /// without them belongs to another tool or version.
  std::vector<const char*> columns;
  /// The applied migration's identity, as text.
  const char* version;
  /// When it was applied, as timestamptz; nullptr when the tool does not
  /// record it.
  const char* applied_at;
  /// Rows that count as applied; nullptr: every row.
  const char* applied;
  /// ORDER BY for newest first.
  const char* newest_first;
  /// False for tools that keep only the current version (one row), not a
  /// history of applied migrations.
  bool keeps_history;
};

/// Every tool, the more specific before the less specific of one table name
/// (supabase before other schema_migrations, golang-migrate's `dirty` column
/// before rails/dbmate).
const std::vector<MigrationTool>& MigrationTools();

/// The first tool whose schema, table and columns match, or nullptr.
const MigrationTool* IdentifyMigrationTool(const std::string& schema, const std::string& table,
                                           const std::vector<std::string>& columns);

/// SQL VALUES list of (table name, schema name or NULL for any schema): each
/// history table some tool keeps, once.
std::string HistoryTableCandidates();

}  // namespace pgposture
