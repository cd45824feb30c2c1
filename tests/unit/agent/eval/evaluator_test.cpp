#include "agent/eval/evaluator.h"

#include <gtest/gtest.h>

#include <set>

#include "agent/eval/check_catalog.h"
#include "agent/eval/maturity.h"

namespace pgposture {
namespace {

const v1::Finding& FindingOf(const v1::DatabasePosture& posture, const std::string& id) {
  for (const v1::Finding& finding : posture.findings()) {
    if (finding.check_id() == id) return finding;
  }
  throw std::runtime_error("no finding " + id);
}

// A database whose every collected fact is production-grade.
v1::DatabasePosture ProductionFacts() {
  v1::DatabasePosture posture;
  v1::PgauditFacts& pgaudit = *posture.mutable_pgaudit();
  pgaudit.set_loaded(true);
  pgaudit.set_extension_created(true);
  pgaudit.set_event_triggers_enabled(true);
  pgaudit.set_agent_role_has_overrides(false);
  v1::PgauditRoleCoverage& role = *pgaudit.add_coverage();
  role.set_role("app");
  role.set_source(v1::PGAUDIT_SOURCE_SERVER);
  role.set_ddl_audited(true);
  role.set_role_audited(true);
  posture.mutable_migrations()->add_tables()->set_tool("flyway");
  posture.mutable_ddl()->set_capture_installed(true);
  posture.mutable_ddl()->set_capture_enabled(true);
  v1::Role& postgres = *posture.mutable_roles()->add_roles();
  postgres.set_name("postgres");
  postgres.set_superuser(true);
  postgres.set_bootstrap(true);
  postgres.set_password_kind(v1::PASSWORD_KIND_SCRAM_SHA_256);
  posture.mutable_roles()->set_interactive_superuser_sessions(0);
  v1::NetworkFacts& network = *posture.mutable_network();
  network.set_ssl(true);
  network.set_rules_open_to_all(0);
  network.set_remote_trust_rules(0);
  posture.mutable_backup()->set_mode(v1::BACKUP_MODE_PITR);
  posture.mutable_environment_flow();
  return posture;
}

v1::DatabasePosture Evaluated(const v1::DatabasePosture& facts) {
  v1::DatabasePosture out = facts;
  Evaluate(facts, v1::MATURITY_LEVEL_PRODUCTION, out);
  return out;
}

TEST(EvaluatorTest, CatalogIdsAreUniqueAndDocumented) {
  std::set<std::string> ids;
  for (const Check& check : CheckCatalog()) {
    EXPECT_TRUE(ids.insert(check.id).second) << check.id;
    EXPECT_FALSE(check.title.empty()) << check.id;
    EXPECT_FALSE(check.remediation.empty()) << check.id;
    EXPECT_NE(check.level, v1::MATURITY_LEVEL_UNSPECIFIED) << check.id;
  }
}

TEST(EvaluatorTest, UncollectedFactsAreUnknownNeverPass) {
  const v1::DatabasePosture out = Evaluated(v1::DatabasePosture());
  for (const v1::Finding& finding : out.findings()) {
    EXPECT_EQ(finding.status(), v1::CHECK_STATUS_UNKNOWN) << finding.check_id();
    EXPECT_FALSE(finding.remediation().empty()) << finding.check_id();
  }
  EXPECT_EQ(out.maturity_level(), v1::MATURITY_LEVEL_PROTOTYPING);
}

TEST(EvaluatorTest, ProductionFactsReachProductionButNotEnterprise) {
  const v1::DatabasePosture out = Evaluated(ProductionFacts());
  EXPECT_EQ(out.maturity_level(), v1::MATURITY_LEVEL_PRODUCTION);
  EXPECT_EQ(out.required_level(), v1::MATURITY_LEVEL_PRODUCTION);
  EXPECT_EQ(FindingOf(out, "pgaudit.logs_write").status(), v1::CHECK_STATUS_FAIL);
  EXPECT_TRUE(FindingOf(out, "pgaudit.loaded").remediation().empty()) << "a pass needs no remediation";
}

TEST(EvaluatorTest, ARoleEscapingDdlAuditFailsAndNamesIt) {
  v1::DatabasePosture facts = ProductionFacts();
  v1::PgauditRoleCoverage& admin = *facts.mutable_pgaudit()->add_coverage();
  admin.set_role("admin");
  admin.set_source(v1::PGAUDIT_SOURCE_ROLE);
  const v1::DatabasePosture out = Evaluated(facts);
  const v1::Finding& finding = FindingOf(out, "pgaudit.logs_ddl_and_role");
  EXPECT_EQ(finding.status(), v1::CHECK_STATUS_FAIL);
  EXPECT_NE(finding.detail().find("admin"), std::string::npos) << finding.detail();
  EXPECT_EQ(out.maturity_level(), v1::MATURITY_LEVEL_COLLABORATING);
}

TEST(EvaluatorTest, UnloadedPgauditFailsProduction) {
  v1::DatabasePosture facts = ProductionFacts();
  facts.mutable_pgaudit()->set_loaded(false);
  const v1::DatabasePosture out = Evaluated(facts);
  EXPECT_EQ(FindingOf(out, "pgaudit.loaded").status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(out.maturity_level(), v1::MATURITY_LEVEL_COLLABORATING);
}

TEST(EvaluatorTest, MissingMigrationTableHoldsAtPrototyping) {
  v1::DatabasePosture facts = ProductionFacts();
  facts.mutable_migrations()->clear_tables();
  EXPECT_EQ(Evaluated(facts).maturity_level(), v1::MATURITY_LEVEL_PROTOTYPING);
}

TEST(MaturityTest, NamesRoundTrip) {
  for (const char* name : {"prototyping", "collaborating", "production", "enterprise"}) {
    const auto level = ParseMaturityLevel(name);
    ASSERT_TRUE(level) << name;
    EXPECT_EQ(MaturityLevelName(*level), name);
  }
  EXPECT_FALSE(ParseMaturityLevel("unspecified"));
  EXPECT_FALSE(ParseMaturityLevel("prod"));
}

}  // namespace
}  // namespace pgposture
