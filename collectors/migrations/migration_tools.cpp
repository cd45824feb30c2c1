#include "collectors/migrations/migration_tools.h"

#include <algorithm>
#include <set>

namespace pgposture {

const std::vector<MigrationTool>& MigrationTools() {
  static const auto* const tools = new std::vector<MigrationTool>{
      // Supabase CLI; Studio adds created_by and idempotency_key. The version
      // is the file's timestamp, not when it was applied.
      {"supabase",
       "supabase_migrations",
       "schema_migrations",
       {"version"},
       "t.version::text",
       nullptr,
       nullptr,
       "t.version DESC",
       true},
      {"flyway",
       nullptr,
       "flyway_schema_history",
       {"installed_rank", "version", "installed_on", "success"},
       "t.version::text",
       "t.installed_on::timestamptz",
       "t.success AND t.version IS NOT NULL",
       "t.installed_rank DESC",
       true},
      // A changeset is identified by file, id and author together.
      {"liquibase",
       nullptr,
       "databasechangelog",
       {"id", "author", "filename", "dateexecuted", "orderexecuted"},
       "t.filename || '::' || t.id || '::' || t.author",
       "t.dateexecuted::timestamptz",
       nullptr,
       "t.orderexecuted DESC",
       true},
      // One row: the current version and whether the last migration broke.
      {"golang-migrate",
       nullptr,
       "schema_migrations",
       {"version", "dirty"},
       "t.version::text",
       nullptr,
       nullptr,
       "t.version DESC",
       false},
      {"rails/dbmate",
       nullptr,
       "schema_migrations",
       {"version"},
       "t.version::text",
       nullptr,
       nullptr,
       "t.version DESC",
       true},
      // One row per head revision; no history.
      {"alembic",
       nullptr,
       "alembic_version",
       {"version_num"},
       "t.version_num::text",
       nullptr,
       nullptr,
       "t.version_num DESC",
       false},
      {"prisma",
       nullptr,
       "_prisma_migrations",
       {"migration_name", "started_at", "finished_at", "rolled_back_at"},
       "t.migration_name::text",
       "t.finished_at::timestamptz",
       "t.finished_at IS NOT NULL AND t.rolled_back_at IS NULL",
       "t.started_at DESC",
       true},
      {"knex",
       nullptr,
       "knex_migrations",
       {"id", "name", "migration_time"},
       "t.name::text",
       "t.migration_time::timestamptz",
       nullptr,
       "t.id DESC",
       true},
      {"django",
       nullptr,
       "django_migrations",
       {"id", "app", "name", "applied"},
       "t.app || '.' || t.name",
       "t.applied::timestamptz",
       nullptr,
       "t.id DESC",
       true},
      // Deployed changes only: sqitch deletes a change's row on revert.
      {"sqitch",
       "sqitch",
       "changes",
       {"project", "change", "committed_at"},
       "t.project || ':' || t.change",
       "t.committed_at::timestamptz",
       nullptr,
       "t.committed_at DESC",
       true},
      // Version 0 is the row goose creates with the table.
      {"goose",
       nullptr,
       "goose_db_version",
       {"id", "version_id", "is_applied", "tstamp"},
       "t.version_id::text",
       "t.tstamp::timestamptz",
       "t.is_applied AND t.version_id <> 0",
       "t.id DESC",
       true},
      {"atlas",
       nullptr,
       "atlas_schema_revisions",
       {"version", "executed_at"},
       "t.version::text",
       "t.executed_at::timestamptz",
       nullptr,
       "t.version DESC",
       true},
      // created_at is the migration folder's timestamp in milliseconds, which
      // drizzle compares to decide what to apply: the identity, not a time.
      {"drizzle",
       "drizzle",
       "__drizzle_migrations",
       {"hash", "created_at"},
       "t.created_at::text",
       nullptr,
       nullptr,
       "t.created_at DESC",
       true},
  };
  return *tools;
}

const MigrationTool* IdentifyMigrationTool(const std::string& schema, const std::string& table,
                                           const std::vector<std::string>& columns) {
  for (const MigrationTool& tool : MigrationTools()) {
    if (tool.table != table || (tool.schema != nullptr && tool.schema != schema)) continue;
    const bool has_columns = std::all_of(tool.columns.begin(), tool.columns.end(), [&](const char* column) {
      return std::find(columns.begin(), columns.end(), column) != columns.end();
    });
    if (has_columns) return &tool;
  }
  return nullptr;
}

std::string HistoryTableCandidates() {
  // A name some tool looks for in any schema needs no row for a tool that
  // wants it in one schema: that row would find the same table twice.
  std::set<std::string> in_any_schema;
  for (const MigrationTool& tool : MigrationTools()) {
    if (tool.schema == nullptr) in_any_schema.insert(tool.table);
  }
  std::set<std::pair<std::string, std::string>> candidates;  // table, schema ("": any)
  for (const MigrationTool& tool : MigrationTools()) {
    if (tool.schema == nullptr || in_any_schema.count(tool.table) == 0)
      candidates.emplace(tool.table, tool.schema == nullptr ? "" : tool.schema);
  }
  std::string rows;
  for (const auto& [table, schema] : candidates) {
    rows += rows.empty() ? "(VALUES " : ", ";
    rows += "('" + table + "', " + (schema.empty() ? std::string("NULL") : "'" + schema + "'") + ")";
  }
  return rows + ")";
}

}  // namespace pgposture
