// pgaudit facts of each database of one cluster: which per-role and
// per-database settings (pg_db_role_setting, a shared catalog) apply where.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "tests/integration/audited_cluster.h"

namespace pgposture::testing {
namespace {

using Override = std::tuple<std::string, std::string, std::string>;  // role, database, value

std::set<Override> OverridesOf(const v1::DatabasePosture& posture) {
  std::set<Override> overrides;
  for (const v1::PgauditOverride& entry : posture.pgaudit().overrides()) {
    EXPECT_EQ(entry.setting(), "pgaudit.log");
    overrides.emplace(entry.role(), entry.database(), entry.value());
  }
  return overrides;
}

const v1::PgauditRoleCoverage& CoverageOf(const v1::DatabasePosture& posture, const std::string& role) {
  for (const v1::PgauditRoleCoverage& entry : posture.pgaudit().coverage()) {
    if (entry.role() == role) return entry;
  }
  throw std::runtime_error("no coverage of " + role + " in " + posture.name());
}

TEST(PgauditTest, EachDatabaseSeesTheOverridesThatApplyInItAndNoOther) {
  PgClusterOptions options;
  options.conf_lines = {"pgaudit.log = 'ddl, role'"};
  AuditedCluster audited(options);
  PgCluster& cluster = audited.cluster();
  cluster.Psql("CREATE DATABASE app");
  cluster.Psql("CREATE DATABASE other");
  cluster.Psql("CREATE ROLE alice LOGIN; CREATE ROLE bob LOGIN; CREATE ROLE carol LOGIN");
  cluster.Psql("ALTER ROLE alice SET pgaudit.log = 'none'");                // everywhere
  cluster.Psql("ALTER ROLE bob IN DATABASE app SET pgaudit.log = 'none'");  // in app only
  cluster.Psql("ALTER DATABASE other SET pgaudit.log = 'all'");             // everyone, in other
  cluster.Psql("ALTER ROLE carol IN DATABASE app SET work_mem = '8MB'");    // not pgaudit's

  const auto postures = CollectOnce({audited.Target("app", "app"), audited.Target("other", "other")});
  const v1::DatabasePosture& app = postures.at("targets/app/databases/app");
  const v1::DatabasePosture& other = postures.at("targets/other/databases/other");

  EXPECT_EQ(OverridesOf(app), (std::set<Override>{{"alice", "", "none"}, {"bob", "app", "none"}}));
  EXPECT_EQ(OverridesOf(other), (std::set<Override>{{"alice", "", "none"}, {"", "other", "all"}}));

  EXPECT_FALSE(CoverageOf(app, "bob").ddl_audited());
  EXPECT_EQ(CoverageOf(app, "bob").source(), v1::PGAUDIT_SOURCE_DATABASE_ROLE);
  EXPECT_TRUE(CoverageOf(app, "carol").ddl_audited());
  EXPECT_EQ(CoverageOf(app, "carol").source(), v1::PGAUDIT_SOURCE_SERVER);
  EXPECT_TRUE(CoverageOf(other, "bob").write_audited());
  EXPECT_EQ(CoverageOf(other, "bob").source(), v1::PGAUDIT_SOURCE_DATABASE);
  EXPECT_EQ(CoverageOf(other, "alice").source(), v1::PGAUDIT_SOURCE_ROLE);
}

}  // namespace
}  // namespace pgposture::testing
