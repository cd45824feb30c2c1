// Migration-history tables as the tools create them, and prod compared with
// staging, against a real cluster.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "tests/integration/audited_cluster.h"

namespace pgposture::testing {
namespace {

using google::protobuf::util::TimeUtil;

// Flyway 9's table, in a schema of its own (flyway.schemas), with a
// repeatable migration and a failed one that must not count.
constexpr const char* kFlyway = R"SQL(
CREATE SCHEMA app;
CREATE TABLE app.flyway_schema_history (
  installed_rank integer NOT NULL PRIMARY KEY,
  version varchar(50),
  description varchar(200) NOT NULL,
  type varchar(20) NOT NULL,
  script varchar(1000) NOT NULL,
  checksum integer,
  installed_by varchar(100) NOT NULL,
  installed_on timestamp NOT NULL DEFAULT now(),
  execution_time integer NOT NULL,
  success boolean NOT NULL
);
INSERT INTO app.flyway_schema_history VALUES
  (1, '1', '<< Flyway Schema Creation >>', 'SCHEMA', '"app"', NULL, 'deploy', '2024-03-01 10:00:00', 0, true),
  (2, '1.1', 'create users', 'SQL', 'V1_1__create_users.sql', 1201, 'deploy', '2024-03-01 10:00:01', 12, true),
  (3, NULL, 'views', 'SQL', 'R__views.sql', 4411, 'deploy', '2024-03-02 09:00:00', 5, true),
  (4, '1.2', 'add email', 'SQL', 'V1_2__add_email.sql', -88, 'deploy', '2024-03-05 16:30:00', 30, true),
  (5, '1.3', 'broken', 'SQL', 'V1_3__broken.sql', 77, 'deploy', '2024-03-06 08:00:00', 2, false);
)SQL";

constexpr const char* kAlembic = R"SQL(
CREATE TABLE public.alembic_version (
  version_num varchar(32) NOT NULL,
  CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO public.alembic_version VALUES ('3f2a9c1b7d04');
)SQL";

// As the Supabase CLI creates it, with Studio's extra columns.
constexpr const char* kSupabase = R"SQL(
CREATE SCHEMA supabase_migrations;
CREATE TABLE supabase_migrations.schema_migrations (
  version text NOT NULL PRIMARY KEY,
  statements text[],
  name text,
  created_by text,
  idempotency_key text UNIQUE
);
INSERT INTO supabase_migrations.schema_migrations (version, statements, name) VALUES
  ('20240101120000', ARRAY['create table todos (id bigint)'], 'init'),
  ('20240215093000', ARRAY['alter table todos add done boolean'], 'todos_done'),
  ('20240301080000', ARRAY['create index on todos (done)'], 'todos_index');
)SQL";

std::vector<std::string> Versions(const v1::MigrationTable& table) {
  return {table.applied_versions().begin(), table.applied_versions().end()};
}

const v1::MigrationTable& TableOf(const v1::DatabasePosture& posture, const std::string& name) {
  for (const v1::MigrationTable& table : posture.migrations().tables()) {
    if (table.table() == name) return table;
  }
  throw std::runtime_error("no history table " + name + " in " + posture.name());
}

TEST(MigrationsTest, FindsFlywayAlembicAndSupabaseHistories) {
  AuditedCluster audited;
  PgCluster& cluster = audited.cluster();
  cluster.Psql("CREATE DATABASE app");
  cluster.Psql(std::string(kFlyway) + kAlembic + kSupabase, "app");
  // As a DBA grants a monitoring role, table by table; knex's is left out.
  cluster.Psql(
      "GRANT USAGE ON SCHEMA app, supabase_migrations TO pgposture;"
      "GRANT SELECT ON app.flyway_schema_history, public.alembic_version,"
      "  supabase_migrations.schema_migrations TO pgposture;"
      "CREATE TABLE public.knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer,"
      "  migration_time timestamptz);",
      "app");
  // flyway's installed_on has no time zone: sessions read it in theirs.
  cluster.Psql("ALTER DATABASE app SET timezone = 'UTC'");

  const auto postures = CollectOnce({audited.Target("db", "app")});
  const v1::DatabasePosture& posture = postures.at("targets/db/databases/app");
  ASSERT_FALSE(posture.collection().stale()) << posture.collection().error();
  for (const v1::CollectorError& error : posture.collection().collector_errors()) {
    EXPECT_NE(error.collector(), "migrations") << error.message();
  }
  ASSERT_TRUE(posture.has_migrations());
  EXPECT_EQ(posture.migrations().tables_size(), 4);

  const v1::MigrationTable& flyway = TableOf(posture, "app.flyway_schema_history");
  EXPECT_EQ(flyway.tool(), "flyway");
  EXPECT_EQ(flyway.latest_version(), "1.2") << "the failed 1.3 is not applied";
  EXPECT_EQ(TimeUtil::ToString(flyway.latest_applied_at()), "2024-03-05T16:30:00Z");
  EXPECT_EQ(flyway.applied_count(), 3);
  EXPECT_EQ(Versions(flyway), (std::vector<std::string>{"1.2", "1.1", "1"}));
  EXPECT_TRUE(flyway.error().empty());

  const v1::MigrationTable& alembic = TableOf(posture, "public.alembic_version");
  EXPECT_EQ(alembic.tool(), "alembic");
  EXPECT_EQ(alembic.latest_version(), "3f2a9c1b7d04");
  EXPECT_FALSE(alembic.has_latest_applied_at());

  const v1::MigrationTable& supabase = TableOf(posture, "supabase_migrations.schema_migrations");
  EXPECT_EQ(supabase.tool(), "supabase");
  EXPECT_EQ(supabase.latest_version(), "20240301080000");
  EXPECT_EQ(supabase.applied_count(), 3);
  EXPECT_EQ(Versions(supabase),
            (std::vector<std::string>{"20240301080000", "20240215093000", "20240101120000"}));

  const v1::MigrationTable& knex = TableOf(posture, "public.knex_migrations");
  EXPECT_EQ(knex.tool(), "knex");
  EXPECT_EQ(
      knex.error(),
      "the agent's role may not read public.knex_migrations; run GRANT SELECT ON public.knex_migrations TO "
      "pgposture");

  EXPECT_EQ(FindingOf(posture, "migrations.history_table_exists").status(), v1::CHECK_STATUS_PASS);
}

TEST(MigrationsTest, NoHistoryTableIsKnownAsNone) {
  AuditedCluster audited;
  const auto postures = CollectOnce({audited.Target("db")});
  const v1::DatabasePosture& posture = postures.at("targets/db/databases/postgres");
  ASSERT_TRUE(posture.has_migrations()) << "searched and found nothing, not unknown";
  EXPECT_EQ(posture.migrations().tables_size(), 0);
  const v1::Finding& finding = FindingOf(posture, "migrations.history_table_exists");
  EXPECT_EQ(finding.status(), v1::CHECK_STATUS_FAIL);
}

// Flyway's history with versions 1 to `last`, readable by the agent.
std::string FlywayUpTo(int last) {
  std::string sql =
      "CREATE TABLE public.flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50),"
      " description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL,"
      " checksum int, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(),"
      " execution_time int NOT NULL, success boolean NOT NULL);"
      "GRANT SELECT ON public.flyway_schema_history TO pgposture;";
  for (int version = 1; version <= last; ++version) {
    sql += "INSERT INTO public.flyway_schema_history VALUES (" + std::to_string(version) + ", '" +
           std::to_string(version) + "', 'step', 'SQL', 'V" + std::to_string(version) +
           "__step.sql', 1, 'ci', now(), 1, true);";
  }
  return sql;
}

TEST(MigrationsTest, ProdVersionStagingNeverSawIsAFindingOnProd) {
  AuditedCluster audited;
  PgCluster& cluster = audited.cluster();
  cluster.Psql("CREATE DATABASE shop_prod");
  cluster.Psql("CREATE DATABASE shop_staging");
  cluster.Psql(FlywayUpTo(4), "shop_prod");
  cluster.Psql(FlywayUpTo(3), "shop_staging");
  TargetConfig prod = audited.Target("shop-prod", "shop_prod", "prod");
  TargetConfig staging = audited.Target("shop-staging", "shop_staging", "staging");
  prod.labels = staging.labels = {{"project", "shop"}};

  auto postures = CollectOnce({prod, staging});
  const v1::DatabasePosture& prod_posture = postures.at("targets/shop-prod/databases/shop_prod");
  const v1::EnvironmentFlow& flow = prod_posture.environment_flow();
  EXPECT_EQ(flow.project(), "shop");
  EXPECT_EQ(std::vector<std::string>(flow.staging_databases().begin(), flow.staging_databases().end()),
            std::vector<std::string>{"targets/shop-staging/databases/shop_staging"});
  ASSERT_EQ(flow.unreleased_size(), 1);
  EXPECT_EQ(
      std::vector<std::string>(flow.unreleased(0).versions().begin(), flow.unreleased(0).versions().end()),
      std::vector<std::string>{"4"});
  const v1::Finding& finding = FindingOf(prod_posture, "migrations.flow_through_staging");
  EXPECT_EQ(finding.status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(finding.detail(),
            "applied here but never in staging (targets/shop-staging/databases/shop_staging): flyway "
            "public.flyway_schema_history: 4");
  EXPECT_EQ(FindingOf(prod_posture, "environments.staging_sibling").status(), v1::CHECK_STATUS_PASS);
  EXPECT_EQ(
      FindingOf(postures.at("targets/shop-staging/databases/shop_staging"), "migrations.flow_through_staging")
          .status(),
      v1::CHECK_STATUS_PASS);

  // Once staging catches up, prod is fine.
  cluster.Psql(
      "INSERT INTO public.flyway_schema_history VALUES (4, '4', 'step', 'SQL', 'V4__step.sql', 1, 'ci', "
      "now(), 1,"
      " true)",
      "shop_staging");
  postures = CollectOnce({prod, staging});
  EXPECT_EQ(FindingOf(postures.at("targets/shop-prod/databases/shop_prod"), "migrations.flow_through_staging")
                .status(),
            v1::CHECK_STATUS_PASS);
}

}  // namespace
}  // namespace pgposture::testing
