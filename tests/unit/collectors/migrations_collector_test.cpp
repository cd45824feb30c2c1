#include "collectors/migrations/migrations_collector.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

TaggedRows Columns(const std::string& schema, const std::string& table,
                   const std::vector<std::string>& names) {
  TaggedRows rows;
  for (const std::string& name : names) rows.push_back({"column", schema, table, name});
  return rows;
}

TaggedRows Concat(std::vector<TaggedRows> parts) {
  TaggedRows all;
  for (TaggedRows& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

const std::vector<std::string> kFlywayColumns = {"installed_rank", "version",  "description",  "type",
                                                 "script",         "checksum", "installed_by", "installed_on",
                                                 "execution_time", "success"};

TEST(MigrationToolsTest, IdentifiesByNameSchemaAndColumns) {
  auto tool = [](const std::string& schema, const std::string& table,
                 const std::vector<std::string>& columns) {
    const MigrationTool* found = IdentifyMigrationTool(schema, table, columns);
    return found ? std::string(found->tool) : std::string("none");
  };
  EXPECT_EQ(tool("supabase_migrations", "schema_migrations", {"version", "statements", "name"}), "supabase");
  EXPECT_EQ(tool("public", "schema_migrations", {"version", "dirty"}), "golang-migrate");
  EXPECT_EQ(tool("public", "schema_migrations", {"version"}), "rails/dbmate");
  EXPECT_EQ(tool("app", "flyway_schema_history", kFlywayColumns), "flyway");
  EXPECT_EQ(tool("public", "alembic_version", {"version_num"}), "alembic");
  EXPECT_EQ(tool("sqitch", "changes", {"change_id", "project", "change", "committed_at"}), "sqitch");
  EXPECT_EQ(tool("public", "changes", {"project", "change", "committed_at"}), "none")
      << "only in schema sqitch";
  EXPECT_EQ(tool("drizzle", "__drizzle_migrations", {"id", "hash", "created_at"}), "drizzle");
  EXPECT_EQ(tool("public", "flyway_schema_history", {"version"}), "none") << "not flyway's layout";
}

// A table two tools look for must come from the search once, or each of its
// columns would be read twice.
TEST(MigrationToolsTest, EveryHistoryTableIsACandidateOnce) {
  const std::string candidates = HistoryTableCandidates();
  for (const MigrationTool& tool : MigrationTools()) {
    const std::string quoted = "('" + std::string(tool.table) + "', ";
    const size_t first = candidates.find(quoted);
    ASSERT_NE(first, std::string::npos) << tool.table;
    EXPECT_EQ(candidates.find(quoted, first + 1), std::string::npos) << tool.table;
  }
  EXPECT_NE(candidates.find("('schema_migrations', NULL)"), std::string::npos) << "any schema";
  EXPECT_NE(candidates.find("('changes', 'sqitch')"), std::string::npos) << "only in schema sqitch";
}

TEST(MigrationsFindTest, GroupsColumnsAndPrivilegesPerTable) {
  const TaggedRows rows = Concat({
      {{"table", "public", "flyway_schema_history", ""},
       {"table", "supabase_migrations", "schema_migrations", "usage,select"}},
      Columns("public", "flyway_schema_history", kFlywayColumns),
      Columns("supabase_migrations", "schema_migrations", {"version", "name"}),
  });
  const std::vector<FoundHistoryTable> found = ParseFoundHistoryTables(rows);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].schema, "public");
  EXPECT_EQ(found[0].columns.size(), kFlywayColumns.size());
  EXPECT_TRUE(found[0].missing_privileges.empty());
  EXPECT_EQ(found[1].table, "schema_migrations");
  EXPECT_EQ(found[1].missing_privileges, (std::vector<std::string>{"usage", "select"}));
}

TEST(MigrationsPlanTest, UnreadableTablesNameTheGrant) {
  const std::vector<FoundHistoryTable> found = {
      {"public", "flyway_schema_history", kFlywayColumns, {}},
      {"supabase_migrations", "schema_migrations", {"version", "name"}, {"usage", "select"}},
      {"public", "alembic_version", {"version_num"}, {"select"}},
      {"legacy", "flyway_schema_history", {"version", "script"}, {}},
  };
  v1::MigrationFacts facts;
  const std::vector<HistoryRead> reads = PlanHistoryReads(found, "pgposture", facts);

  ASSERT_EQ(facts.tables_size(), 4);
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].index, 0);
  EXPECT_STREQ(reads[0].tool->tool, "flyway");
  EXPECT_EQ(facts.tables(0).table(), "public.flyway_schema_history");
  EXPECT_TRUE(facts.tables(0).error().empty());

  EXPECT_EQ(facts.tables(1).tool(), "supabase");
  EXPECT_EQ(
      facts.tables(1).error(),
      "the agent's role may not read supabase_migrations.schema_migrations; run GRANT USAGE ON SCHEMA "
      "supabase_migrations TO pgposture; GRANT SELECT ON supabase_migrations.schema_migrations TO pgposture");
  EXPECT_EQ(
      facts.tables(2).error(),
      "the agent's role may not read public.alembic_version; run GRANT SELECT ON public.alembic_version TO "
      "pgposture");
  EXPECT_EQ(facts.tables(3).tool(), "flyway");
  EXPECT_NE(facts.tables(3).error().find("match no known layout (flyway: installed_rank, version"),
            std::string::npos)
      << facts.tables(3).error();
}

TEST(MigrationsReadTest, QueryReadsEveryPlannedTableOnce) {
  v1::MigrationFacts facts;
  const std::vector<HistoryRead> reads =
      PlanHistoryReads({{"my schema", "flyway_schema_history", kFlywayColumns, {}},
                        {"public", "alembic_version", {"version_num"}, {}}},
                       "pgposture", facts);
  const std::string sql = ReadHistoryQuery(reads);
  EXPECT_NE(
      sql.find("FROM \"my schema\".\"flyway_schema_history\" t WHERE t.success AND t.version IS NOT NULL"),
      std::string::npos)
      << sql;
  EXPECT_NE(sql.find("FROM \"public\".\"alembic_version\" t"), std::string::npos) << sql;
  EXPECT_NE(sql.find("LIMIT 1000"), std::string::npos);
  EXPECT_NE(sql.find("pg_catalog.isfinite(t.installed_on::timestamptz)"), std::string::npos) << sql;
}

TEST(MigrationsReadTest, RowsFillLatestVersionsAndCounts) {
  v1::MigrationFacts facts;
  const std::vector<HistoryRead> reads =
      PlanHistoryReads({{"public", "alembic_version", {"version_num"}, {}},
                        {"public", "flyway_schema_history", kFlywayColumns, {}}},
                       "pgposture", facts);
  ASSERT_EQ(reads.size(), 2u);
  // Ranks, not row order, give the order.
  const TaggedRows rows = {
      {"version", "1:2", "2", "1704067200000000"},     {"version", "1:1", "3", "1704153600500000"},
      {"version", "1:3", "1", "1703980800000000"},     {"count", "1", "3", std::nullopt},
      {"version", "0:1", "ae1027a6acf", std::nullopt}, {"count", "0", "1", std::nullopt},
  };
  ParseHistoryRows(rows, reads, facts);

  const v1::MigrationTable& alembic = facts.tables(0);
  EXPECT_EQ(alembic.tool(), "alembic");
  EXPECT_EQ(alembic.latest_version(), "ae1027a6acf");
  EXPECT_EQ(alembic.applied_versions_size(), 0) << "alembic keeps no history";
  EXPECT_FALSE(alembic.has_latest_applied_at());
  EXPECT_EQ(alembic.applied_count(), 1);

  const v1::MigrationTable& flyway = facts.tables(1);
  EXPECT_EQ(flyway.latest_version(), "3");
  EXPECT_EQ(TimeUtil::ToString(flyway.latest_applied_at()), "2024-01-02T00:00:00.500Z");
  EXPECT_EQ(flyway.applied_count(), 3);
  EXPECT_EQ(std::vector<std::string>(flyway.applied_versions().begin(), flyway.applied_versions().end()),
            (std::vector<std::string>{"3", "2", "1"}));
}

TEST(MigrationsReadTest, EmptyHistoryTableHasNoLatest) {
  v1::MigrationFacts facts;
  const std::vector<HistoryRead> reads =
      PlanHistoryReads({{"public", "flyway_schema_history", kFlywayColumns, {}}}, "pgposture", facts);
  ParseHistoryRows({{"count", "0", "0", std::nullopt}}, reads, facts);
  EXPECT_EQ(facts.tables(0).applied_count(), 0);
  EXPECT_TRUE(facts.tables(0).latest_version().empty());
}

}  // namespace
}  // namespace pgposture
