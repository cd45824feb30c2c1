#include "collectors/pgaudit/pgaudit_coverage.h"

#include <gtest/gtest.h>

#include "collectors/pgaudit/pgaudit_database_collector.h"
#include "collectors/pgaudit/pgaudit_server_collector.h"

namespace pgposture {
namespace {

v1::PgauditOverride Override(const std::string& role, const std::string& database, const std::string& value,
                             const std::string& setting = "pgaudit.log") {
  v1::PgauditOverride row;
  row.set_role(role);
  row.set_database(database);
  row.set_setting(setting);
  row.set_value(value);
  return row;
}

CoverageInputs Inputs() {
  CoverageInputs inputs;
  inputs.loaded = true;
  inputs.database = "app";
  inputs.agent_role = "pgposture";
  inputs.agent_session_log = "ddl, role";
  inputs.login_roles = {{"alice", false}, {"postgres", true}, {"pgposture", false}};
  return inputs;
}

const v1::PgauditRoleCoverage& For(const std::vector<v1::PgauditRoleCoverage>& coverage,
                                   const std::string& role) {
  for (const auto& entry : coverage) {
    if (entry.role() == role) return entry;
  }
  throw std::runtime_error("no coverage for " + role);
}

TEST(PgauditCoverageTest, ServerValueAppliesToRolesWithoutOverrides) {
  const auto coverage = ComputeCoverage(Inputs());
  ASSERT_EQ(coverage.size(), 3u);
  const auto& alice = For(coverage, "alice");
  EXPECT_EQ(alice.source(), v1::PGAUDIT_SOURCE_SERVER);
  EXPECT_TRUE(alice.ddl_audited());
  EXPECT_TRUE(alice.role_audited());
  EXPECT_FALSE(alice.write_audited());
  EXPECT_TRUE(For(coverage, "postgres").superuser());
}

TEST(PgauditCoverageTest, MostSpecificOverrideWins) {
  CoverageInputs inputs = Inputs();
  inputs.overrides = {Override("", "app", "ddl, role, write"), Override("alice", "", "none"),
                      Override("alice", "app", "role"), Override("", "", "all")};
  const auto coverage = ComputeCoverage(inputs);
  const auto& alice = For(coverage, "alice");
  EXPECT_EQ(alice.source(), v1::PGAUDIT_SOURCE_DATABASE_ROLE);
  EXPECT_FALSE(alice.ddl_audited());
  EXPECT_TRUE(alice.role_audited());
  const auto& postgres = For(coverage, "postgres");
  EXPECT_EQ(postgres.source(), v1::PGAUDIT_SOURCE_DATABASE);
  EXPECT_TRUE(postgres.write_audited());
}

TEST(PgauditCoverageTest, RoleOverrideTurnsAuditingOff) {
  CoverageInputs inputs = Inputs();
  inputs.overrides = {Override("postgres", "", "none")};
  const auto coverage = ComputeCoverage(inputs);
  const auto& postgres = For(coverage, "postgres");
  EXPECT_EQ(postgres.source(), v1::PGAUDIT_SOURCE_ROLE);
  EXPECT_FALSE(postgres.ddl_audited());
  EXPECT_FALSE(AgentRoleHasOverrides(inputs));
}

TEST(PgauditCoverageTest, OtherSettingsDoNotCount) {
  CoverageInputs inputs = Inputs();
  inputs.overrides = {Override("alice", "", "on", "pgaudit.log_catalog")};
  const auto coverage = ComputeCoverage(inputs);
  EXPECT_EQ(For(coverage, "alice").source(), v1::PGAUDIT_SOURCE_SERVER);
}

TEST(PgauditCoverageTest, AgentOverrideMakesServerValueUnknown) {
  CoverageInputs inputs = Inputs();
  inputs.overrides = {Override("pgposture", "", "all"), Override("alice", "", "ddl")};
  EXPECT_TRUE(AgentRoleHasOverrides(inputs));
  const auto coverage = ComputeCoverage(inputs);
  EXPECT_EQ(For(coverage, "postgres").source(), v1::PGAUDIT_SOURCE_UNSPECIFIED);
  EXPECT_FALSE(For(coverage, "postgres").has_log());
  EXPECT_EQ(For(coverage, "alice").source(), v1::PGAUDIT_SOURCE_ROLE);
  EXPECT_TRUE(For(coverage, "alice").ddl_audited());
}

TEST(PgauditCoverageTest, NothingIsAuditedWithoutTheLibrary) {
  CoverageInputs inputs = Inputs();
  inputs.loaded = false;
  for (const auto& entry : ComputeCoverage(inputs)) {
    EXPECT_FALSE(entry.ddl_audited() || entry.role_audited() || entry.write_audited()) << entry.role();
  }
}

TEST(PgauditDatabaseRowsTest, ParsesEveryRowKind) {
  const TaggedRows rows = {
      {"extension", "1.7", std::nullopt, std::nullopt},
      {"event_trigger", "pgaudit_ddl_command_end", "O", std::nullopt},
      {"event_trigger", "pgaudit_sql_drop", "O", std::nullopt},
      {"session", "pgaudit", "ddl,role", std::nullopt},
      {"override", "alice", "", "pgaudit.log=none"},
      {"login_role", "alice", "f", std::nullopt},
      {"login_role", "postgres", "t", std::nullopt},
  };
  v1::PgauditFacts facts;
  ParsePgauditDatabaseRows(rows, "app", "pgposture", facts);
  EXPECT_TRUE(facts.extension_created());
  EXPECT_EQ(facts.extension_version(), "1.7");
  EXPECT_TRUE(facts.event_triggers_enabled());
  EXPECT_FALSE(facts.agent_role_has_overrides());
  ASSERT_EQ(facts.overrides_size(), 1);
  EXPECT_EQ(facts.overrides(0).setting(), "pgaudit.log");
  EXPECT_EQ(facts.overrides(0).value(), "none");
  ASSERT_EQ(facts.coverage_size(), 2);
  EXPECT_FALSE(facts.coverage(0).ddl_audited()) << "alice's override turns it off";
  EXPECT_TRUE(facts.coverage(1).ddl_audited());
  EXPECT_TRUE(facts.coverage(1).superuser());
}

TEST(PgauditDatabaseRowsTest, MissingExtensionAndDisabledTrigger) {
  const TaggedRows rows = {
      {"event_trigger", "pgaudit_ddl_command_end", "D", std::nullopt},
      {"session", "", std::nullopt, std::nullopt},
  };
  v1::PgauditFacts facts;
  ParsePgauditDatabaseRows(rows, "app", "pgposture", facts);
  ASSERT_TRUE(facts.has_extension_created());
  EXPECT_FALSE(facts.extension_created());
  EXPECT_FALSE(facts.event_triggers_enabled());
}

TEST(PgauditServerRowsTest, ReadsSettingsAndSkipsOverriddenOnes) {
  const TaggedRows rows = {
      {"setting", "shared_preload_libraries", "pgaudit", "false"},
      {"setting", "pgaudit.log", "all, -misc", "false"},
      {"setting", "pgaudit.log_catalog", "on", "false"},
      {"setting", "pgaudit.log_parameter", "off", "true"},
      {"setting", "pgaudit.log_level", "log", "false"},
      {"setting", "pgaudit.role", "auditor", "false"},
  };
  v1::PgauditFacts facts;
  ParsePgauditServerRows(rows, facts);
  EXPECT_TRUE(facts.loaded());
  EXPECT_EQ(facts.settings().log().raw(), "all, -misc");
  EXPECT_EQ(facts.settings().log().classes_size(), 6);
  EXPECT_TRUE(facts.settings().log_catalog());
  EXPECT_FALSE(facts.settings().has_log_parameter()) << "overridden for the agent's session: unknown";
  EXPECT_EQ(facts.settings().log_level(), "log");
  EXPECT_EQ(facts.settings().role(), "auditor");
}

TEST(PgauditServerRowsTest, NotLoadedMeansNoSettings) {
  const TaggedRows rows = {
      {"setting", "shared_preload_libraries", "", "false"},
      {"setting", "pgaudit.log", "ddl", "false"},
  };
  v1::PgauditFacts facts;
  ParsePgauditServerRows(rows, facts);
  ASSERT_TRUE(facts.has_loaded());
  EXPECT_FALSE(facts.loaded());
  EXPECT_FALSE(facts.has_settings());
}

}  // namespace
}  // namespace pgposture
