// Out-of-band DDL against a real cluster: capture by event triggers,
// classification against migrations, nothing lost or counted twice.
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <set>

#include "agent/collect/scheduler.h"
#include "agent/install/installer.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture {
namespace {

using testing::PgCluster;
using namespace std::chrono_literals;

constexpr const char* kAgentPassword = "agent-pw";

class DdlCaptureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<PgCluster>();
    cluster_->Psql(std::string("CREATE ROLE agent LOGIN PASSWORD '") + kAgentPassword + "'");
    cluster_->Psql("CREATE ROLE migrator LOGIN");
    cluster_->Psql(std::string("CREATE ROLE mallory LOGIN PASSWORD '") + kAgentPassword + "'");
    cluster_->Psql("GRANT CREATE ON SCHEMA public TO migrator, mallory");
    Install(cluster_->Dsn(), "agent");
  }

  // A fresh agent: a new scheduler has no memory of earlier cycles, as after
  // a restart of the daemon.
  std::unique_ptr<Scheduler> StartAgent() {
    config_.agent.timeout = 5s;
    config_.policy.ddl.migration_roles = {"migrator"};
    config_.targets.clear();
    TargetConfig target;
    target.name = "t";
    target.dsn = cluster_->Dsn("postgres", "agent") + " password=" + kAgentPassword;
    target.environment = "prod";
    config_.targets.push_back(target);
    return std::make_unique<Scheduler>(config_, store_, false);
  }

  v1::DatabasePosture Collect(Scheduler& agent) {
    agent.RunCycle();
    return MergedPosture(store_.List().at(0));
  }

  // The recent events about the object `identity`.
  static std::vector<v1::DdlEvent> EventsAbout(const v1::DatabasePosture& posture,
                                               const std::string& identity) {
    std::vector<v1::DdlEvent> events;
    for (const v1::DdlEvent& event : posture.ddl().recent_events()) {
      if (event.object_identity() == identity) events.push_back(event);
    }
    return events;
  }

  static v1::CheckStatus StatusOf(const v1::DatabasePosture& posture, const std::string& check_id) {
    for (const v1::Finding& finding : posture.findings()) {
      if (finding.check_id() == check_id) return finding.status();
    }
    ADD_FAILURE() << "no finding " << check_id;
    return v1::CHECK_STATUS_UNSPECIFIED;
  }

  static std::int64_t Count(const v1::DatabasePosture& posture, const std::string& classification) {
    const auto& counts = posture.ddl().events_by_classification();
    const auto found = counts.find(classification);
    return found == counts.end() ? 0 : found->second;
  }

  std::unique_ptr<PgCluster> cluster_;
  Config config_;
  SnapshotStore store_;
};

TEST_F(DdlCaptureTest, DashboardChangeIsOutOfBandWithItsSourceNamed) {
  auto agent = StartAgent();
  cluster_->Psql("SET application_name = 'postgres-meta 0.83.2'; CREATE TABLE public.orders (id int)");
  const v1::DatabasePosture posture = Collect(*agent);
  ASSERT_TRUE(posture.ddl().capture_installed());
  ASSERT_TRUE(posture.ddl().capture_enabled());
  const auto events = EventsAbout(posture, "public.orders");
  ASSERT_EQ(events.size(), 1u);
  const v1::DdlEvent& event = events[0];
  EXPECT_EQ(event.classification(), v1::DDL_CLASSIFICATION_OUT_OF_BAND);
  EXPECT_EQ(event.rule(), "dashboard");
  EXPECT_EQ(event.source(), "dashboard");
  EXPECT_EQ(event.command_tag(), "CREATE TABLE");
  EXPECT_EQ(event.object_type(), "table");
  EXPECT_EQ(event.session_user(), "postgres");
  EXPECT_EQ(event.application_name(), "postgres-meta 0.83.2");
  EXPECT_NE(event.statement().find("CREATE TABLE public.orders"), std::string::npos);
  EXPECT_GT(event.transaction_id(), 0);
  EXPECT_GT(event.backend_pid(), 0);
  EXPECT_EQ(posture.ddl().out_of_band_in_window(), 1);
  EXPECT_EQ(posture.ddl().last_out_of_band().object_identity(), "public.orders");
  EXPECT_EQ(StatusOf(posture, "ddl.no_out_of_band_changes"), v1::CHECK_STATUS_FAIL);
}

TEST_F(DdlCaptureTest, MigrationsAppliedTheWayRealToolsDoThem) {
  // History tables exist before install for flyway; supabase's and alembic's
  // are created afterwards, the way the tools create them on first run.
  cluster_->Psql(
      "CREATE TABLE public.flyway_schema_history (installed_rank int PRIMARY KEY, version text, "
      "description text, script text, installed_on timestamptz DEFAULT now(), success bool)");
  Install(cluster_->Dsn(), "agent");
  auto agent = StartAgent();
  cluster_->Psql(R"sql(
    SET application_name = 'psql';
    BEGIN;
    CREATE TABLE public.flyway_change (id int);
    INSERT INTO public.flyway_schema_history VALUES (1, '1', 'init', 'V1__init.sql', now(), true);
    COMMIT;
    CREATE SCHEMA supabase_migrations;
    CREATE TABLE supabase_migrations.schema_migrations (version text PRIMARY KEY, statements text[], name text);
    BEGIN;
    CREATE TABLE public.supabase_change (id int);
    INSERT INTO supabase_migrations.schema_migrations VALUES ('20240101000000', '{}', 'init');
    COMMIT;
    CREATE TABLE public.alembic_version (version_num varchar(32) PRIMARY KEY);
    BEGIN;
    CREATE TABLE public.alembic_change (id int);
    UPDATE public.alembic_version SET version_num = 'ae1027a6acf';
    INSERT INTO public.alembic_version SELECT 'ae1027a6acf' WHERE NOT EXISTS (SELECT 1 FROM public.alembic_version);
    COMMIT;
  )sql");
  const v1::DatabasePosture posture = Collect(*agent);
  for (const char* table : {"public.flyway_change", "public.supabase_change", "public.alembic_change"}) {
    const auto events = EventsAbout(posture, table);
    ASSERT_EQ(events.size(), 1u) << table;
    EXPECT_EQ(events[0].classification(), v1::DDL_CLASSIFICATION_MIGRATION) << table;
    EXPECT_EQ(events[0].rule(), "history_write") << table;
    EXPECT_TRUE(events[0].wrote_history()) << table;
  }
  // The transaction that created a history table counts as a migration.
  const auto created = EventsAbout(posture, "public.alembic_version");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].classification(), v1::DDL_CLASSIFICATION_MIGRATION);
}

TEST_F(DdlCaptureTest, ConfiguredHistoryTableMarksMigrations) {
  cluster_->Psql("CREATE SCHEMA ops; CREATE TABLE ops.applied_changes (id text PRIMARY KEY)");
  Install(cluster_->Dsn(), "agent", {"ops.applied_changes"});
  auto agent = StartAgent();
  cluster_->Psql(
      "BEGIN; CREATE TABLE public.tracked (id int); INSERT INTO ops.applied_changes VALUES ('1'); COMMIT");
  const auto events = EventsAbout(Collect(*agent), "public.tracked");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].rule(), "history_write");
}

TEST_F(DdlCaptureTest, ChangeSourceAndMigrationRoleMakeMigrations) {
  auto agent = StartAgent();
  cluster_->Psql(
      "BEGIN; SET LOCAL pgposture.change_source = 'ci:deploy-42'; CREATE TABLE public.declared (id int); "
      "COMMIT");
  cluster_->Psql("SET ROLE migrator; CREATE TABLE public.by_role (id int)");
  cluster_->Psql("SET SESSION AUTHORIZATION migrator; CREATE TABLE public.by_session (id int)");
  const v1::DatabasePosture posture = Collect(*agent);
  const auto declared = EventsAbout(posture, "public.declared");
  ASSERT_EQ(declared.size(), 1u);
  EXPECT_EQ(declared[0].rule(), "change_source");
  EXPECT_EQ(declared[0].change_source(), "ci:deploy-42");
  // SET ROLE keeps session_user: the login decides, not the role switched to.
  const auto by_role = EventsAbout(posture, "public.by_role");
  ASSERT_EQ(by_role.size(), 1u);
  EXPECT_EQ(by_role[0].current_user(), "migrator");
  EXPECT_EQ(by_role[0].classification(), v1::DDL_CLASSIFICATION_OUT_OF_BAND);
  const auto by_session = EventsAbout(posture, "public.by_session");
  ASSERT_EQ(by_session.size(), 1u);
  EXPECT_EQ(by_session[0].session_user(), "migrator");
  EXPECT_EQ(by_session[0].rule(), "migration_role");
  EXPECT_EQ(by_session[0].classification(), v1::DDL_CLASSIFICATION_MIGRATION);
}

TEST_F(DdlCaptureTest, DashboardWritingHistoryStaysOutOfBand) {
  cluster_->Psql("CREATE TABLE public.schema_migrations (version text PRIMARY KEY)");
  auto agent = StartAgent();
  cluster_->Psql(
      "SET application_name = 'supabase/dashboard-sql-editor'; BEGIN; CREATE TABLE public.studio_change (id "
      "int); "
      "INSERT INTO public.schema_migrations VALUES ('20240102'); COMMIT");
  const auto events = EventsAbout(Collect(*agent), "public.studio_change");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].wrote_history());
  EXPECT_EQ(events[0].classification(), v1::DDL_CLASSIFICATION_OUT_OF_BAND);
  EXPECT_EQ(events[0].rule(), "dashboard");
}

TEST_F(DdlCaptureTest, TemporaryObjectsAndExtensionsNeverAlert) {
  auto agent = StartAgent();
  cluster_->Psql("CREATE TEMP TABLE scratch (id int); DROP TABLE scratch");
  cluster_->Psql("CREATE EXTENSION pg_trgm");
  const v1::DatabasePosture posture = Collect(*agent);
  EXPECT_EQ(Count(posture, "out_of_band"), 0);
  EXPECT_GT(Count(posture, "ignored"), 2);
  EXPECT_EQ(posture.ddl().out_of_band_in_window(), 0);
  EXPECT_EQ(StatusOf(posture, "ddl.no_out_of_band_changes"), v1::CHECK_STATUS_PASS);
}

TEST_F(DdlCaptureTest, GrantRevokeAlterAndDropWithDroppedObjectsAreCaptured) {
  cluster_->Psql("CREATE TABLE public.victim (id int PRIMARY KEY, note text)");
  auto agent = StartAgent();
  cluster_->Psql("GRANT SELECT ON public.victim TO mallory");
  cluster_->Psql("REVOKE SELECT ON public.victim FROM mallory");
  cluster_->Psql("ALTER TABLE public.victim ADD COLUMN extra int");
  cluster_->Psql("DROP TABLE public.victim");
  const v1::DatabasePosture posture = Collect(*agent);
  const auto& tags = posture.ddl().events_by_command_tag();
  EXPECT_EQ(tags.count("GRANT"), 1u);
  EXPECT_EQ(tags.count("REVOKE"), 1u);
  EXPECT_EQ(tags.count("ALTER TABLE"), 1u);
  ASSERT_EQ(tags.count("DROP TABLE"), 1u);
  // The table, its row types, its primary key index and its TOAST table.
  EXPECT_GE(tags.at("DROP TABLE"), 4);
  std::set<std::string> dropped_types;
  for (const v1::DdlEvent& event : posture.ddl().recent_events()) {
    if (event.command_tag() == "DROP TABLE") dropped_types.insert(event.object_type());
  }
  EXPECT_EQ(dropped_types.count("table"), 1u);
  EXPECT_EQ(dropped_types.count("index"), 1u);
}

TEST_F(DdlCaptureTest, NobodyButTheTriggersCanWriteTheEvents) {
  cluster_->Psql("CREATE TABLE public.t (id int)");
  auto agent = StartAgent();
  const v1::DatabasePosture before = Collect(*agent);
  for (const char* role : {"mallory", "agent"}) {
    pqxx::connection connection(cluster_->Dsn("postgres", role) + " password=" + kAgentPassword);
    for (const char* sql :
         {"INSERT INTO pgposture.ddl_events (command_tag, current_user_name) VALUES ('FAKE', 'x')",
          "UPDATE pgposture.ddl_events SET command_tag = 'FAKE'", "DELETE FROM pgposture.ddl_events",
          "TRUNCATE pgposture.ddl_events", "INSERT INTO pgposture.history_writes VALUES ('1', 'x')",
          "SELECT pgposture.internal_insert_ddl_events(ARRAY['FAKE'], ARRAY[NULL], ARRAY[NULL], ARRAY[NULL], "
          "ARRAY[false], ARRAY[false])"}) {
      pqxx::work transaction(connection);
      EXPECT_THROW(transaction.exec(sql), pqxx::sql_error) << role << ": " << sql;
    }
  }
  EXPECT_EQ(cluster_->PsqlValue("SELECT count(*) FROM pgposture.ddl_events WHERE command_tag = 'FAKE'"), "0");
  EXPECT_EQ(Count(Collect(*agent), "out_of_band"), Count(before, "out_of_band"));
}

TEST_F(DdlCaptureTest, RestartLosesNothingAndCountsNothingTwice) {
  auto agent = StartAgent();
  cluster_->Psql("CREATE TABLE public.a (id int); CREATE TABLE public.b (id int)");
  EXPECT_EQ(Count(Collect(*agent), "out_of_band"), 2);
  EXPECT_EQ(Count(Collect(*agent), "out_of_band"), 2) << "a second cycle reads nothing new";
  agent.reset();  // the agent is down
  cluster_->Psql("CREATE TABLE public.c (id int)");
  cluster_->Restart();  // and so is the database for a moment
  cluster_->Psql("CREATE TABLE public.d (id int)");
  agent = StartAgent();
  const v1::DatabasePosture posture = Collect(*agent);
  EXPECT_EQ(Count(posture, "out_of_band"), 4);
  for (const char* table : {"public.a", "public.b", "public.c", "public.d"}) {
    EXPECT_EQ(EventsAbout(posture, table).size(), 1u) << table;
  }
}

TEST_F(DdlCaptureTest, TransactionCommittingLateIsNotLost) {
  auto agent = StartAgent();
  pqxx::connection slow(cluster_->Dsn());
  pqxx::work slow_transaction(slow);
  slow_transaction.exec("CREATE TABLE public.slow (id int)");  // takes the smaller id, not committed yet
  cluster_->Psql("CREATE TABLE public.fast (id int)");
  const v1::DatabasePosture first = Collect(*agent);
  EXPECT_EQ(EventsAbout(first, "public.fast").size(), 1u);
  EXPECT_EQ(EventsAbout(first, "public.slow").size(), 0u);
  slow_transaction.commit();
  const v1::DatabasePosture second = Collect(*agent);
  EXPECT_EQ(EventsAbout(second, "public.slow").size(), 1u);
  EXPECT_EQ(Count(second, "out_of_band"), 2);
}

TEST_F(DdlCaptureTest, DisabledOrDroppedCaptureIsAFindingWithinOneCycle) {
  auto agent = StartAgent();
  EXPECT_TRUE(Collect(*agent).ddl().capture_enabled());
  cluster_->Psql("ALTER EVENT TRIGGER pgposture_ddl_command_end DISABLE");
  const v1::DatabasePosture disabled = Collect(*agent);
  EXPECT_FALSE(disabled.ddl().capture_enabled());
  EXPECT_EQ(StatusOf(disabled, "ddl.capture_enabled"), v1::CHECK_STATUS_FAIL);
  cluster_->Psql("DROP EVENT TRIGGER pgposture_sql_drop");
  EXPECT_FALSE(Collect(*agent).ddl().capture_installed());
  // Install repairs it.
  Install(cluster_->Dsn(), "agent");
  const v1::DatabasePosture repaired = Collect(*agent);
  EXPECT_TRUE(repaired.ddl().capture_installed());
  EXPECT_TRUE(repaired.ddl().capture_enabled());
}

TEST_F(DdlCaptureTest, RecordingFailureWarnsButNeverFailsTheUsersDdl) {
  auto agent = StartAgent();
  cluster_->Psql(
      "ALTER TABLE pgposture.ddl_events ADD CONSTRAINT no_views CHECK (command_tag <> 'CREATE VIEW')");
  EXPECT_NO_THROW(cluster_->Psql("CREATE VIEW public.v AS SELECT 1 AS one"));
  EXPECT_EQ(cluster_->PsqlValue("SELECT count(*) FROM pg_views WHERE viewname = 'v'"), "1");
  const v1::DatabasePosture posture = Collect(*agent);
  EXPECT_GE(posture.ddl().capture_failures(), 1);
}

// While the agent runs: its grant revoked, then the install removed. Each
// time the capture reads as missing (a finding, no collector error), and
// installing again brings back every event, none counted twice.
TEST_F(DdlCaptureTest, GrantOrInstallLostMidRunIsReportedMissingAndRecovers) {
  auto agent = StartAgent();
  cluster_->Psql("CREATE TABLE public.before_revoke (id int)");
  ASSERT_EQ(Count(Collect(*agent), "out_of_band"), 1);
  const auto expect_missing = [&](const char* why) {
    const v1::DatabasePosture posture = Collect(*agent);
    EXPECT_FALSE(posture.ddl().capture_installed()) << why;
    EXPECT_EQ(StatusOf(posture, "ddl.capture_enabled"), v1::CHECK_STATUS_FAIL) << why;
    for (const v1::CollectorError& error : posture.collection().collector_errors()) {
      EXPECT_NE(error.collector(), "ddl") << why << ": " << error.message();
    }
  };
  cluster_->Psql("REVOKE SELECT ON pgposture.ddl_events FROM agent");
  cluster_->Psql("CREATE TABLE public.while_revoked (id int)");
  expect_missing("grant revoked");
  Install(cluster_->Dsn(), "agent");
  const v1::DatabasePosture regranted = Collect(*agent);
  EXPECT_TRUE(regranted.ddl().capture_installed());
  EXPECT_EQ(EventsAbout(regranted, "public.while_revoked").size(), 1u);
  EXPECT_EQ(Count(regranted, "out_of_band"), 3) << "the two tables and the REVOKE itself";

  Uninstall(cluster_->Dsn());
  expect_missing("install removed");
  Install(cluster_->Dsn(), "agent");
  cluster_->Psql("CREATE TABLE public.after_reinstall (id int)");
  const v1::DatabasePosture reinstalled = Collect(*agent);
  EXPECT_TRUE(reinstalled.ddl().capture_installed());
  EXPECT_EQ(EventsAbout(reinstalled, "public.after_reinstall").size(), 1u);
}

TEST_F(DdlCaptureTest, WithoutInstallCaptureIsReportedMissing) {
  cluster_->Psql("DROP SCHEMA pgposture CASCADE");
  auto agent = StartAgent();
  const v1::DatabasePosture posture = Collect(*agent);
  EXPECT_TRUE(posture.ddl().has_capture_installed());
  EXPECT_FALSE(posture.ddl().capture_installed());
  for (const v1::CollectorError& error : posture.collection().collector_errors()) {
    EXPECT_NE(error.collector(), "ddl") << error.message();
  }
  EXPECT_EQ(StatusOf(posture, "ddl.no_out_of_band_changes"), v1::CHECK_STATUS_UNKNOWN);
}

}  // namespace
}  // namespace pgposture
