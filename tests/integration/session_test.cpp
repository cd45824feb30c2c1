// The agent's database session against a real server: what it may do, and
// how it is stopped when the server hangs.
#include "collectors/session.h"

#include <gtest/gtest.h>

#include <csignal>
#include <pqxx/pqxx>
#include <thread>

#include "agent/collect/deadline_watcher.h"
#include "collectors/collector_runner.h"
#include "collectors/conninfo.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture {
namespace {

using testing::PgCluster;
using namespace std::chrono_literals;

class SessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = std::make_unique<PgCluster>();
    cluster_->Psql("CREATE ROLE agent LOGIN PASSWORD 'agent-pw' IN ROLE pg_monitor, pg_read_all_settings");
  }
  static void TearDownTestSuite() { cluster_.reset(); }

  static std::unique_ptr<Session> Open(SessionLimits limits = {}) {
    return std::make_unique<Session>(
        AgentConnInfo(cluster_->Dsn("postgres", "agent"), "", "agent-pw", limits));
  }

  static std::unique_ptr<PgCluster> cluster_;
};

std::unique_ptr<PgCluster> SessionTest::cluster_;

std::string Show(Session& session, const std::string& setting) {
  return session.Query("SHOW " + setting)[0][0].c_str();
}

TEST_F(SessionTest, EveryStatementIsReadOnlyWithTheAgentsLimits) {
  SessionLimits limits;
  limits.statement_timeout = 4321ms;
  limits.lock_timeout = 321ms;
  auto session = Open(limits);
  EXPECT_EQ(Show(*session, "default_transaction_read_only"), "on");
  EXPECT_EQ(Show(*session, "transaction_read_only"), "on");
  EXPECT_EQ(Show(*session, "application_name"), "pgposture");
  EXPECT_EQ(Show(*session, "search_path"), "pg_catalog");
  EXPECT_EQ(Show(*session, "statement_timeout"), "4321ms");
  EXPECT_EQ(Show(*session, "lock_timeout"), "321ms");
  // The prepared batch keeps one plan for the session.
  EXPECT_EQ(Show(*session, "plan_cache_mode"), "force_generic_plan");
  EXPECT_EQ(session->user(), "agent");
  EXPECT_EQ(session->server_version_num() / 10000, 15);
  EXPECT_EQ(session->round_trips(), 7);

  try {
    session->Query("CREATE TABLE public.should_not_exist (id int)");
    FAIL() << "a write went through";
  } catch (const pqxx::sql_error& error) {
    EXPECT_EQ(error.sqlstate(), "25006") << error.what();  // read_only_sql_transaction
  }
  EXPECT_TRUE(session->is_open()) << "a failed statement leaves the session usable";
}

TEST_F(SessionTest, RoleAndDatabaseSettingsCannotLiftTheLimits) {
  cluster_->Psql("ALTER ROLE agent SET default_transaction_read_only = off");
  cluster_->Psql("ALTER ROLE agent SET statement_timeout = 0");
  auto session = Open();
  const std::string read_only = Show(*session, "default_transaction_read_only");
  const std::string timeout = Show(*session, "statement_timeout");
  cluster_->Psql("ALTER ROLE agent RESET ALL");
  EXPECT_EQ(read_only, "on");
  EXPECT_EQ(timeout, "10s");
}

TEST_F(SessionTest, WatcherBreaksASessionWhoseServerStoppedAnswering) {
  SessionLimits limits;
  limits.statement_timeout = 60s;  // so only the watcher can end the wait
  auto session = Open(limits);
  const std::string pid = session->Query("SELECT pg_catalog.pg_backend_pid()")[0][0].c_str();
  // A stopped backend is a server that accepted the query and never answers.
  ASSERT_EQ(::kill(std::stoi(pid), SIGSTOP), 0);
  DeadlineWatcher watcher;
  const auto started = std::chrono::steady_clock::now();
  bool expired = false;
  {
    DeadlineWatcher::Guard guard(watcher, *session, std::chrono::steady_clock::now() + 300ms);
    EXPECT_ANY_THROW(session->Query("SELECT 1"));
    expired = guard.expired();
  }
  const auto waited = std::chrono::steady_clock::now() - started;
  ::kill(std::stoi(pid), SIGCONT);
  EXPECT_TRUE(expired);
  EXPECT_FALSE(session->is_open());
  EXPECT_LT(waited, 2s);
  EXPECT_GE(waited, 300ms);
}

TEST_F(SessionTest, GuardThatEndsInTimeLeavesTheSessionAlone) {
  auto session = Open();
  DeadlineWatcher watcher;
  {
    DeadlineWatcher::Guard guard(watcher, *session, std::chrono::steady_clock::now() + 200ms);
    session->Query("SELECT 1");
    EXPECT_FALSE(guard.expired());
  }
  std::this_thread::sleep_for(400ms);
  EXPECT_TRUE(session->is_open());
  EXPECT_NO_THROW(session->Query("SELECT 1"));
}

// The single value of the first row of `query`'s prefetched rows.
std::string FirstValue(Session& session, const TaggedQuery& query) {
  const TaggedRows rows = session.QueryRows(query);
  return rows.empty() || !rows[0].a ? "(none)" : *rows[0].a;
}

TEST_F(SessionTest, TheBatchIsPreparedOnceAndAgainWhenItChanges) {
  auto session = Open();
  const TaggedQuery first("SELECT 'n', $1, NULL, NULL", {"1"});
  const TaggedQuery second("SELECT 'n', $1, NULL, NULL", {"2"});
  const TaggedQuery other("SELECT 'm', 'other', NULL, NULL");
  session->ResetRoundTrips();

  session->Prefetch({first, second});
  EXPECT_EQ(session->round_trips(), 2) << "prepared, then run";
  EXPECT_EQ(FirstValue(*session, first), "1");
  EXPECT_EQ(FirstValue(*session, second), "2");

  // The same text with other values runs the prepared statement.
  const TaggedQuery third("SELECT 'n', $1, NULL, NULL", {"3"});
  session->ResetRoundTrips();
  session->Prefetch({third, second});
  EXPECT_EQ(session->round_trips(), 1);
  EXPECT_EQ(FirstValue(*session, third), "3");

  // Another text: the old statement goes, the new one is prepared and run.
  session->ResetRoundTrips();
  session->Prefetch({first, other});
  EXPECT_EQ(session->round_trips(), 3) << "deallocated, prepared, run";
  EXPECT_EQ(FirstValue(*session, first), "1");
  EXPECT_EQ(FirstValue(*session, other), "other");
  EXPECT_EQ(session->round_trips(), 3) << "both were prefetched";
  EXPECT_EQ(session->Query("SELECT count(*) FROM pg_catalog.pg_prepared_statements")[0][0].as<int>(), 1);

  session->ResetRoundTrips();
  session->Prefetch({first, other});
  EXPECT_EQ(session->round_trips(), 1);
  EXPECT_EQ(FirstValue(*session, other), "other");
}

TEST_F(SessionTest, LockedCatalogFailsOneCollectorOnLockTimeout) {
  pqxx::connection locker(cluster_->Dsn());
  pqxx::work hold(locker);
  hold.exec("LOCK TABLE pg_catalog.pg_extension IN ACCESS EXCLUSIVE MODE");

  SessionLimits limits;
  limits.lock_timeout = 200ms;
  auto session = Open(limits);
  Collectors collectors = MakeCollectors(Scope::kDatabase, CollectorOptions{});
  v1::DatabasePosture posture;
  const auto started = std::chrono::steady_clock::now();
  RunCollectors({{collectors, posture}}, *session);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  ASSERT_EQ(posture.collection().collector_errors_size(), 1);
  EXPECT_EQ(posture.collection().collector_errors(0).collector(), "pgaudit_database");
  EXPECT_NE(posture.collection().collector_errors(0).message().find("lock timeout"), std::string::npos)
      << posture.collection().collector_errors(0).message();
  EXPECT_TRUE(session->is_open());
}

}  // namespace
}  // namespace pgposture
