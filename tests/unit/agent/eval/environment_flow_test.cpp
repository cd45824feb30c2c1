#include "agent/eval/environment_flow.h"

#include <gtest/gtest.h>

#include "agent/eval/evaluator.h"

namespace pgposture {
namespace {

v1::DatabasePosture Database(const std::string& target, const std::string& environment,
                             const std::string& project, const std::string& database = "app") {
  v1::DatabasePosture posture;
  posture.set_name("targets/" + target + "/databases/" + database);
  posture.set_target(target);
  posture.set_database(database);
  posture.set_environment(environment);
  if (!project.empty()) (*posture.mutable_labels())["project"] = project;
  posture.mutable_migrations();
  return posture;
}

// A flyway history, newest first.
void AddFlyway(v1::DatabasePosture& posture, const std::vector<std::string>& versions, int64_t count = -1) {
  v1::MigrationTable& table = *posture.mutable_migrations()->add_tables();
  table.set_tool("flyway");
  table.set_table("public.flyway_schema_history");
  if (!versions.empty()) table.set_latest_version(versions.front());
  for (const std::string& version : versions) table.add_applied_versions(version);
  table.set_applied_count(count < 0 ? static_cast<int64_t>(versions.size()) : count);
}

std::vector<DatabaseSnapshot> Snapshots(const std::vector<v1::DatabasePosture>& postures) {
  std::vector<DatabaseSnapshot> snapshots;
  for (const v1::DatabasePosture& posture : postures) {
    snapshots.push_back({nullptr, std::make_shared<v1::DatabasePosture>(posture)});
  }
  return snapshots;
}

const v1::Finding& FindingOf(const v1::DatabasePosture& posture, const std::string& id) {
  for (const v1::Finding& finding : posture.findings()) {
    if (finding.check_id() == id) return finding;
  }
  throw std::runtime_error("no finding " + id);
}

v1::DatabasePosture EvaluatedWithFlow(v1::DatabasePosture posture, const std::vector<DatabaseSnapshot>& all) {
  *posture.mutable_environment_flow() = EnvironmentFlowOf(posture, all);
  Evaluate(posture, v1::MATURITY_LEVEL_PRODUCTION, posture);
  return posture;
}

TEST(EnvironmentFlowTest, VersionAppliedInProdOnlyIsAFinding) {
  v1::DatabasePosture prod = Database("shop-prod", "prod", "shop");
  AddFlyway(prod, {"4", "3", "2", "1"});
  v1::DatabasePosture staging = Database("shop-staging", "staging", "shop");
  AddFlyway(staging, {"3", "2", "1"});
  const auto all = Snapshots({prod, staging});

  const v1::EnvironmentFlow flow = EnvironmentFlowOf(prod, all);
  EXPECT_EQ(flow.project(), "shop");
  ASSERT_EQ(flow.staging_databases_size(), 1);
  EXPECT_EQ(flow.staging_databases(0), "targets/shop-staging/databases/app");
  ASSERT_EQ(flow.unreleased_size(), 1);
  EXPECT_EQ(flow.unreleased(0).tool(), "flyway");
  EXPECT_EQ(flow.unreleased(0).table(), "public.flyway_schema_history");
  EXPECT_EQ(
      std::vector<std::string>(flow.unreleased(0).versions().begin(), flow.unreleased(0).versions().end()),
      std::vector<std::string>{"4"});
  EXPECT_TRUE(flow.incomplete().empty());

  const v1::DatabasePosture evaluated = EvaluatedWithFlow(prod, all);
  const v1::Finding& finding = FindingOf(evaluated, "migrations.flow_through_staging");
  EXPECT_EQ(finding.status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(finding.level(), v1::MATURITY_LEVEL_PRODUCTION);
  EXPECT_EQ(finding.detail(),
            "applied here but never in staging (targets/shop-staging/databases/app): flyway "
            "public.flyway_schema_history: 4");
  EXPECT_EQ(FindingOf(evaluated, "environments.staging_sibling").status(), v1::CHECK_STATUS_PASS);
}

TEST(EnvironmentFlowTest, StagingAheadOfProdIsFine) {
  v1::DatabasePosture prod = Database("shop-prod", "prod", "shop");
  AddFlyway(prod, {"2", "1"});
  v1::DatabasePosture staging = Database("shop-staging", "staging", "shop");
  AddFlyway(staging, {"3", "2", "1"});
  const auto all = Snapshots({prod, staging});
  EXPECT_EQ(EnvironmentFlowOf(prod, all).unreleased_size(), 0);
  EXPECT_EQ(FindingOf(EvaluatedWithFlow(prod, all), "migrations.flow_through_staging").status(),
            v1::CHECK_STATUS_PASS);
}

TEST(EnvironmentFlowTest, OtherProjectsAndEnvironmentsAreNoSiblings) {
  v1::DatabasePosture prod = Database("shop-prod", "prod", "shop");
  AddFlyway(prod, {"2", "1"});
  v1::DatabasePosture other_project = Database("blog-staging", "staging", "blog");
  v1::DatabasePosture local = Database("shop-dev", "local", "shop");
  const auto all = Snapshots({prod, other_project, local});
  const v1::EnvironmentFlow flow = EnvironmentFlowOf(prod, all);
  EXPECT_EQ(flow.staging_databases_size(), 0);
  EXPECT_EQ(flow.unreleased_size(), 0);

  const v1::DatabasePosture evaluated = EvaluatedWithFlow(prod, all);
  // Nothing to compare with: the enterprise check asks for a sibling.
  EXPECT_EQ(FindingOf(evaluated, "migrations.flow_through_staging").status(), v1::CHECK_STATUS_PASS);
  const v1::Finding& sibling = FindingOf(evaluated, "environments.staging_sibling");
  EXPECT_EQ(sibling.status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(sibling.level(), v1::MATURITY_LEVEL_ENTERPRISE);
  EXPECT_EQ(sibling.detail(), "no staging target has project label shop");
}

TEST(EnvironmentFlowTest, NoProjectLabelMeansNoSibling) {
  const v1::DatabasePosture prod = Database("solo", "prod", "");
  const auto all = Snapshots({prod, Database("solo-staging", "staging", "")});
  const v1::EnvironmentFlow flow = EnvironmentFlowOf(prod, all);
  EXPECT_TRUE(flow.project().empty());
  EXPECT_EQ(flow.staging_databases_size(), 0);
  EXPECT_EQ(FindingOf(EvaluatedWithFlow(prod, all), "environments.staging_sibling").detail(),
            "the target has no project label, so it has no staging sibling");
}

TEST(EnvironmentFlowTest, SameDatabaseNameIsPreferred) {
  v1::DatabasePosture prod = Database("shop-prod", "prod", "shop", "orders");
  AddFlyway(prod, {"2", "1"});
  v1::DatabasePosture orders = Database("shop-staging", "staging", "shop", "orders");
  AddFlyway(orders, {"1"});
  v1::DatabasePosture billing = Database("shop-staging", "staging", "shop", "billing");
  AddFlyway(billing, {"2", "1"});
  const v1::EnvironmentFlow flow = EnvironmentFlowOf(prod, Snapshots({prod, orders, billing}));
  ASSERT_EQ(flow.staging_databases_size(), 1);
  EXPECT_EQ(flow.staging_databases(0), "targets/shop-staging/databases/orders");
  ASSERT_EQ(flow.unreleased_size(), 1) << "billing's version 2 must not hide orders' gap";
  EXPECT_EQ(flow.unreleased(0).versions(0), "2");

  // Without a same-named database, every staging database of the project counts.
  v1::DatabasePosture renamed = orders;
  renamed.set_database("orders_staging");
  renamed.set_name("targets/shop-staging/databases/orders_staging");
  EXPECT_EQ(EnvironmentFlowOf(prod, Snapshots({prod, renamed, billing})).unreleased_size(), 0);
}

TEST(EnvironmentFlowTest, CutStagingHistoryJudgesOnlyNewerVersions) {
  v1::DatabasePosture prod = Database("shop-prod", "prod", "shop");
  AddFlyway(prod, {"1005", "1004", "1003", "5", "4"});
  v1::DatabasePosture staging = Database("shop-staging", "staging", "shop");
  // 2000 applied, the latest kept: 4 and 5 fell out of the window.
  AddFlyway(staging, {"1004", "1003"}, 2000);
  const v1::EnvironmentFlow flow = EnvironmentFlowOf(prod, Snapshots({prod, staging}));
  ASSERT_EQ(flow.unreleased_size(), 1);
  EXPECT_EQ(
      std::vector<std::string>(flow.unreleased(0).versions().begin(), flow.unreleased(0).versions().end()),
      std::vector<std::string>{"1005"});

  v1::DatabasePosture disjoint = Database("shop-staging", "staging", "shop");
  AddFlyway(disjoint, {"9", "8"}, 2000);
  const v1::EnvironmentFlow unknown = EnvironmentFlowOf(prod, Snapshots({prod, disjoint}));
  EXPECT_EQ(unknown.unreleased_size(), 0);
  EXPECT_FALSE(unknown.incomplete().empty());
}

TEST(EnvironmentFlowTest, UnknownStagingHistoryIsUnknown) {
  v1::DatabasePosture prod = Database("shop-prod", "prod", "shop");
  AddFlyway(prod, {"2", "1"});
  v1::DatabasePosture staging = Database("shop-staging", "staging", "shop");
  staging.clear_migrations();
  const auto all = Snapshots({prod, staging});
  EXPECT_EQ(EnvironmentFlowOf(prod, all).incomplete(),
            "the migration history of targets/shop-staging/databases/app was not collected");
  EXPECT_EQ(FindingOf(EvaluatedWithFlow(prod, all), "migrations.flow_through_staging").status(),
            v1::CHECK_STATUS_UNKNOWN);

  v1::DatabasePosture unreadable = Database("shop-staging", "staging", "shop");
  AddFlyway(unreadable, {});
  unreadable.mutable_migrations()->mutable_tables(0)->set_error("the agent's role may not read it");
  EXPECT_EQ(EnvironmentFlowOf(prod, Snapshots({prod, unreadable})).incomplete(),
            "targets/shop-staging/databases/app: the agent's role may not read it");
}

TEST(EnvironmentFlowTest, ToolsWithoutHistoryAreNotCompared) {
  v1::DatabasePosture prod = Database("shop-prod", "prod", "shop");
  v1::MigrationTable& alembic = *prod.mutable_migrations()->add_tables();
  alembic.set_tool("alembic");
  alembic.set_table("public.alembic_version");
  alembic.set_latest_version("ae1027a6acf");
  alembic.set_applied_count(1);
  v1::DatabasePosture staging = Database("shop-staging", "staging", "shop");
  const v1::EnvironmentFlow flow = EnvironmentFlowOf(prod, Snapshots({prod, staging}));
  EXPECT_EQ(flow.unreleased_size(), 0);
  EXPECT_TRUE(flow.incomplete().empty());
}

TEST(EnvironmentFlowTest, NonProdDatabasesPassWithoutComparison) {
  v1::DatabasePosture staging = Database("shop-staging", "staging", "shop");
  AddFlyway(staging, {"2", "1"});
  const v1::DatabasePosture evaluated = EvaluatedWithFlow(staging, Snapshots({staging}));
  EXPECT_EQ(evaluated.environment_flow().project(), "shop");
  EXPECT_EQ(evaluated.environment_flow().staging_databases_size(), 0);
  EXPECT_EQ(FindingOf(evaluated, "migrations.flow_through_staging").status(), v1::CHECK_STATUS_PASS);
  EXPECT_EQ(FindingOf(evaluated, "environments.staging_sibling").status(), v1::CHECK_STATUS_PASS);
}

TEST(EnvironmentFlowTest, NotComparedYetIsUnknown) {
  v1::DatabasePosture prod = Database("shop-prod", "prod", "shop");
  Evaluate(prod, v1::MATURITY_LEVEL_PRODUCTION, prod);
  EXPECT_EQ(FindingOf(prod, "migrations.flow_through_staging").status(), v1::CHECK_STATUS_UNKNOWN);
  EXPECT_EQ(FindingOf(prod, "environments.staging_sibling").status(), v1::CHECK_STATUS_UNKNOWN);
}

TEST(EnvironmentFlowTest, RefreshRepublishesProdWhenStagingArrivedLater) {
  SnapshotStore store;
  v1::DatabasePosture prod = Database("shop-prod", "prod", "shop");
  AddFlyway(prod, {"2", "1"});
  // Published before its sibling: compared with nothing.
  *prod.mutable_environment_flow() = EnvironmentFlowOf(prod, store.List());
  Evaluate(prod, v1::MATURITY_LEVEL_PRODUCTION, prod);
  store.Publish({nullptr, std::make_shared<v1::DatabasePosture>(prod)});
  v1::DatabasePosture staging = Database("shop-staging", "staging", "shop");
  AddFlyway(staging, {"1"});
  store.Publish({nullptr, std::make_shared<v1::DatabasePosture>(staging)});
  const std::shared_ptr<const v1::DatabasePosture> before = store.List().at(0).database;
  ASSERT_EQ(before->name(), "targets/shop-prod/databases/app");
  EXPECT_EQ(FindingOf(*before, "migrations.flow_through_staging").status(), v1::CHECK_STATUS_PASS);

  RefreshEnvironmentFlow(store);
  const std::shared_ptr<const v1::DatabasePosture> after = store.List().at(0).database;
  EXPECT_NE(after, before) << "republished as a new snapshot";
  EXPECT_EQ(FindingOf(*after, "migrations.flow_through_staging").status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(FindingOf(*before, "migrations.flow_through_staging").status(), v1::CHECK_STATUS_PASS)
      << "published snapshots are never modified";

  RefreshEnvironmentFlow(store);
  EXPECT_EQ(store.List().at(0).database, after) << "nothing changed: not republished";
}

}  // namespace
}  // namespace pgposture
