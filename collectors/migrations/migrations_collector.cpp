#include "collectors/migrations/migrations_collector.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>

namespace pgposture {
namespace {

struct ReadRow {
  int64_t rank;
  std::string version;
  std::optional<google::protobuf::Timestamp> applied_at;
};

// Always quoted: schema names are the user's and may be keywords.
std::string QuotedIdentifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> items;
  std::istringstream stream(list);
  for (std::string item; std::getline(stream, item, ',');) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

std::string GrantHint(const FoundHistoryTable& found, const std::string& qualified, const std::string& role) {
  std::string grants;
  for (const std::string& privilege : found.missing_privileges) {
    if (!grants.empty()) grants += "; ";
    grants += privilege == "usage" ? "GRANT USAGE ON SCHEMA " + found.schema + " TO " + role
                                   : "GRANT SELECT ON " + qualified + " TO " + role;
  }
  return "the agent's role may not read " + qualified + "; run " + grants;
}

// Why no tool's layout matches: the columns each tool of this table name reads.
std::string LayoutError(const FoundHistoryTable& found, const std::string& qualified,
                        std::string& tool_name) {
  std::string expected;
  for (const MigrationTool& tool : MigrationTools()) {
    if (tool.table != found.table || (tool.schema != nullptr && tool.schema != found.schema)) continue;
    if (tool_name.empty()) tool_name = tool.tool;
    std::string columns;
    for (const char* column : tool.columns) columns += (columns.empty() ? "" : ", ") + std::string(column);
    expected += (expected.empty() ? "" : "; ") + std::string(tool.tool) + ": " + columns;
  }
  return "the columns of " + qualified + " match no known layout (" + expected +
         "); a version of the tool pgposture does not know";
}

}  // namespace

std::string FindHistoryTablesQuery() {
  // pg_class and pg_attribute are readable by every role, whatever the
  // privileges on the tables themselves. Each candidate is one probe of
  // pg_class's index on relname: a filter over pg_class would read every page
  // of it each cycle, in every database of the fleet.
  static const std::string query = R"SQL(
WITH found AS (
  SELECT c.oid AS rel, n.oid AS nsp, n.nspname::text AS schema_name, c.relname::text AS table_name
    FROM )SQL" + HistoryTableCandidates() +
                                   R"SQL( AS t(table_name, schema_name)
    JOIN pg_catalog.pg_class c ON c.relname = t.table_name::name
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'v')
     AND (t.schema_name IS NULL OR n.nspname = t.schema_name::name)
     AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
)
SELECT 'table' AS kind, f.schema_name AS a, f.table_name AS b,
       pg_catalog.concat_ws(',',
         CASE WHEN NOT pg_catalog.has_schema_privilege(f.nsp, 'USAGE') THEN 'usage' END,
         CASE WHEN NOT pg_catalog.has_table_privilege(f.rel, 'SELECT') THEN 'select' END) AS c
  FROM found f
UNION ALL
SELECT 'column', f.schema_name, f.table_name, a.attname::text
  FROM found f
  JOIN pg_catalog.pg_attribute a ON a.attrelid = f.rel AND a.attnum > 0 AND NOT a.attisdropped
)SQL";
  return query;
}

std::vector<FoundHistoryTable> ParseFoundHistoryTables(const TaggedRows& rows) {
  std::map<std::pair<std::string, std::string>, FoundHistoryTable> tables;
  for (const TaggedRow& row : rows) {
    if (!row.a || !row.b) continue;
    FoundHistoryTable& table = tables[{*row.a, *row.b}];
    table.schema = *row.a;
    table.table = *row.b;
    if (row.kind == "table") table.missing_privileges = SplitList(row.c.value_or(""));
    if (row.kind == "column" && row.c) table.columns.push_back(*row.c);
  }
  std::vector<FoundHistoryTable> found;
  for (auto& [name, table] : tables) found.push_back(std::move(table));
  return found;
}

std::vector<HistoryRead> PlanHistoryReads(const std::vector<FoundHistoryTable>& found,
                                          const std::string& agent_role, v1::MigrationFacts& facts) {
  std::vector<HistoryRead> reads;
  for (const FoundHistoryTable& table : found) {
    const std::string qualified = table.schema + "." + table.table;
    v1::MigrationTable& entry = *facts.add_tables();
    entry.set_table(qualified);
    const MigrationTool* tool = IdentifyMigrationTool(table.schema, table.table, table.columns);
    if (tool == nullptr) {
      std::string tool_name;
      entry.set_error(LayoutError(table, qualified, tool_name));
      entry.set_tool(tool_name);
      continue;
    }
    entry.set_tool(tool->tool);
    if (!table.missing_privileges.empty()) {
      entry.set_error(GrantHint(table, qualified, agent_role));
      continue;
    }
    reads.push_back({facts.tables_size() - 1, tool, table.schema, table.table});
  }
  return reads;
}

std::string ReadHistoryQuery(const std::vector<HistoryRead>& reads) {
  std::string sql;
  for (const HistoryRead& read : reads) {
    const MigrationTool& tool = *read.tool;
    const std::string index = "'" + std::to_string(read.index) + "'";
    const std::string from = " FROM " + QuotedIdentifier(read.schema) + "." + QuotedIdentifier(read.table) +
                             " t" + (tool.applied ? std::string(" WHERE ") + tool.applied : "");
    const std::string applied_at = tool.applied_at ? EpochMicrosSql(tool.applied_at) : "NULL::text";
    if (!sql.empty()) sql += "\nUNION ALL\n";
    // The rank keeps the order, which UNION ALL does not promise.
    sql += "(SELECT 'version'::text AS kind, " + index +
           " || ':' || pg_catalog.row_number() OVER (ORDER BY " + tool.newest_first + ") AS a, (" +
           tool.version + ")::text AS b, " + applied_at + " AS c" + from + " ORDER BY " + tool.newest_first +
           " LIMIT " + std::to_string(kMaxAppliedVersions) + ")";
    sql += "\nUNION ALL\nSELECT 'count', " + index + ", pg_catalog.count(*)::text, NULL" + from;
  }
  return sql;
}

void ParseHistoryRows(const TaggedRows& rows, const std::vector<HistoryRead>& reads,
                      v1::MigrationFacts& facts) {
  std::map<int, std::vector<ReadRow>> versions;
  for (const TaggedRow& row : rows) {
    if (!row.a) continue;
    if (row.kind == "count") {
      const std::optional<int64_t> index = Int64Column(row.a);
      const std::optional<int64_t> count = Int64Column(row.b);
      if (index && count && *index < facts.tables_size())
        facts.mutable_tables(static_cast<int>(*index))->set_applied_count(*count);
    } else if (row.kind == "version") {
      const size_t colon = row.a->find(':');
      const std::optional<int64_t> index = Int64Column(row.a->substr(0, colon));
      const std::optional<int64_t> rank =
          colon == std::string::npos ? std::nullopt : Int64Column(row.a->substr(colon + 1));
      if (index && rank)
        versions[static_cast<int>(*index)].push_back({*rank, row.b.value_or(""), EpochMicrosColumn(row.c)});
    }
  }
  for (const HistoryRead& read : reads) {
    if (read.index >= facts.tables_size()) continue;
    v1::MigrationTable& table = *facts.mutable_tables(read.index);
    std::vector<ReadRow>& found = versions[read.index];
    if (found.empty()) continue;
    std::sort(found.begin(), found.end(), [](const ReadRow& a, const ReadRow& b) { return a.rank < b.rank; });
    if (found.front().applied_at) *table.mutable_latest_applied_at() = *found.front().applied_at;
    if (read.tool->keeps_history) {
      table.set_latest_version(found.front().version);
      for (const ReadRow& row : found) table.add_applied_versions(row.version);
    } else {
      // The current state: alembic keeps one row per head.
      std::string current;
      for (const ReadRow& row : found) current += (current.empty() ? "" : ",") + row.version;
      table.set_latest_version(current);
    }
  }
}

TaggedQuery MigrationsCollector::FirstQuery() const { return FindHistoryTablesQuery(); }

void MigrationsCollector::Collect(Session& session, v1::DatabasePosture& posture) {
  v1::MigrationFacts facts;
  const std::vector<FoundHistoryTable> found =
      ParseFoundHistoryTables(session.QueryRows(FindHistoryTablesQuery()));
  const std::vector<HistoryRead> reads = PlanHistoryReads(found, session.user(), facts);
  if (!reads.empty()) ParseHistoryRows(ToTaggedRows(session.Query(ReadHistoryQuery(reads))), reads, facts);
  // Set only now, so a failed read leaves the area unset (unknown).
  *posture.mutable_migrations() = std::move(facts);
}

}  // namespace pgposture
