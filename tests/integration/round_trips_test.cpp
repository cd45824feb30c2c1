// What a collection costs the server: the agent's first statements of every
// collector go together in one round trip, on a warm session.
#include <gtest/gtest.h>

#include "agent/collect/scheduler.h"
#include "agent/install/installer.h"
#include "tests/integration/audited_cluster.h"

namespace pgposture::testing {
namespace {

constexpr const char* kFlyway = R"SQL(
CREATE TABLE public.flyway_schema_history (
  installed_rank integer NOT NULL PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL,
  type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum integer,
  installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(),
  execution_time integer NOT NULL, success boolean NOT NULL);
INSERT INTO public.flyway_schema_history VALUES
  (1, '1', 'init', 'SQL', 'V1__init.sql', 1, 'deploy', '2024-03-01 10:00:00', 3, true);
GRANT SELECT ON public.flyway_schema_history TO pgposture;
)SQL";

void ExpectEveryAreaRead(const v1::DatabasePosture& posture) {
  EXPECT_FALSE(posture.collection().stale()) << posture.collection().error();
  for (const v1::CollectorError& error : posture.collection().collector_errors()) {
    ADD_FAILURE() << posture.name() << ": " << error.collector() << ": " << error.message();
  }
}

TEST(RoundTripsTest, AWarmCollectionSendsOneStatementPlusOnePerDependentRead) {
  AuditedCluster audited;
  PgCluster& cluster = audited.cluster();
  // app: DDL capture installed and a readable migration history; plain: neither.
  cluster.Psql("CREATE DATABASE app");
  cluster.Psql("CREATE DATABASE plain");
  Install(cluster.Dsn("app"), "pgposture");
  cluster.Psql(kFlyway, "app");

  Config config;
  config.agent.timeout = std::chrono::seconds(10);
  TargetConfig target = audited.Target("t");
  target.all_databases = true;
  config.targets.push_back(target);
  SnapshotStore store;
  Scheduler scheduler(config, store, /*backoff=*/false);
  scheduler.RunCycle();  // connects, and learns where the DDL capture is installed
  scheduler.RunCycle();  // prepares the batch with the capture read in it
  scheduler.RunCycle();

  std::map<std::string, v1::DatabasePosture> by_database;
  for (const DatabaseSnapshot& snapshot : store.List()) {
    by_database[snapshot.database->database()] = MergedPosture(snapshot);
  }
  ASSERT_EQ(by_database.size(), 3u);
  for (const auto& [name, posture] : by_database) ExpectEveryAreaRead(posture);

  const v1::DatabasePosture& app = by_database.at("app");
  EXPECT_TRUE(app.ddl().capture_installed());
  EXPECT_EQ(app.migrations().tables(0).latest_version(), "1");
  // Every collector's first statement, then the history rows the first
  // statement found.
  EXPECT_EQ(app.collection().round_trips(), 2);
  // Probing for the capture goes with the rest.
  EXPECT_FALSE(by_database.at("plain").ddl().capture_installed());
  EXPECT_EQ(by_database.at("plain").collection().round_trips(), 1);
  // The cluster's facts and the list of databases to audit ride along with
  // the primary's own.
  EXPECT_TRUE(by_database.at("postgres").pgaudit().loaded());
  EXPECT_TRUE(by_database.at("postgres").has_network());
  EXPECT_EQ(by_database.at("postgres").collection().round_trips(), 1);
}

}  // namespace
}  // namespace pgposture::testing
