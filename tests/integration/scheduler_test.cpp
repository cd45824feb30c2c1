// The scheduler over real clusters.
#include "agent/collect/scheduler.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "tests/harness/blackhole.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture {
namespace {

using testing::PgCluster;
using namespace std::chrono_literals;

TargetConfig Target(const std::string& name, const std::string& dsn) {
  TargetConfig target;
  target.name = name;
  target.dsn = dsn;
  target.environment = "prod";
  return target;
}

Config OneTarget(TargetConfig target) {
  Config config;
  config.agent.timeout = 5s;
  config.agent.concurrency = 2;
  config.targets.push_back(std::move(target));
  return config;
}

std::map<std::string, DatabaseSnapshot> ByDatabase(const SnapshotStore& store) {
  std::map<std::string, DatabaseSnapshot> snapshots;
  for (const DatabaseSnapshot& snapshot : store.List()) snapshots[snapshot.database->database()] = snapshot;
  return snapshots;
}

// The agent's sessions as the server sees them: backend pid by database.
std::map<std::string, std::string> AgentSessions(const PgCluster& cluster) {
  std::map<std::string, std::string> sessions;
  std::istringstream rows(cluster.PsqlValue(
      "SELECT datname || ' ' || pid FROM pg_stat_activity WHERE application_name = 'pgposture' ORDER BY 1"));
  std::string database, pid;
  while (rows >> database >> pid) {
    EXPECT_EQ(sessions.count(database), 0u) << "two sessions for " << database;
    sessions[database] = pid;
  }
  return sessions;
}

TEST(SchedulerTest, OneSessionPerDatabaseReusedAcrossCycles) {
  PgCluster cluster;
  cluster.Psql("CREATE DATABASE app1");
  cluster.Psql("CREATE DATABASE app2");
  cluster.Psql("CREATE DATABASE closed");
  cluster.Psql("ALTER DATABASE closed ALLOW_CONNECTIONS false");
  TargetConfig target = Target("t", cluster.Dsn());
  target.all_databases = true;
  SnapshotStore store;
  Scheduler scheduler(OneTarget(target), store, true);

  scheduler.RunCycle();
  const auto first = AgentSessions(cluster);
  EXPECT_EQ(first.size(), 3u);
  auto snapshots = ByDatabase(store);
  EXPECT_EQ(snapshots.size(), 3u);
  for (const char* name : {"postgres", "app1", "app2"}) {
    ASSERT_EQ(snapshots.count(name), 1u) << name;
    const auto& snapshot = snapshots[name];
    EXPECT_FALSE(snapshot.database->collection().stale()) << snapshot.database->collection().error();
    EXPECT_EQ(snapshot.database->name(), std::string("targets/t/databases/") + name);
    EXPECT_EQ(snapshot.database->environment(), "prod");
    EXPECT_EQ(snapshot.database->required_level(), v1::MATURITY_LEVEL_PRODUCTION);
    EXPECT_GT(snapshot.database->findings_size(), 0);
    ASSERT_TRUE(snapshot.cluster);
    EXPECT_TRUE(snapshot.cluster->pgaudit().loaded());
  }
  // Cluster-wide facts are read once and shared, not copied per database.
  EXPECT_EQ(snapshots["app1"].cluster, snapshots["app2"].cluster);

  scheduler.RunCycle();
  EXPECT_EQ(AgentSessions(cluster), first) << "sessions were reopened";

  // A dropped database leaves the snapshots and the sessions.
  cluster.Psql("DROP DATABASE app2 WITH (FORCE)");
  scheduler.RunCycle();
  snapshots = ByDatabase(store);
  EXPECT_EQ(snapshots.count("app2"), 0u);
  EXPECT_EQ(snapshots.size(), 2u);
}

TEST(SchedulerTest, FailedDatabaseKeepsLastGoodFactsMarkedStale) {
  auto cluster = std::make_unique<PgCluster>();
  SnapshotStore store;
  Scheduler scheduler(OneTarget(Target("t", cluster->Dsn())), store, false);
  scheduler.RunCycle();
  const auto good = store.List().at(0);
  ASSERT_FALSE(good.database->collection().stale());
  const auto last_success = good.database->collection().last_success_at();

  cluster->Stop();
  scheduler.RunCycle();
  const auto stale = store.List().at(0);
  EXPECT_TRUE(stale.database->collection().stale());
  EXPECT_EQ(stale.database->collection().error_class(), v1::ERROR_CLASS_CONNECT)
      << stale.database->collection().error();
  EXPECT_EQ(stale.database->collection().last_success_at().seconds(), last_success.seconds());
  EXPECT_TRUE(stale.database->pgaudit().has_extension_created()) << "last good facts kept";
  EXPECT_NE(stale.database.get(), good.database.get()) << "published snapshots are never modified";
  EXPECT_FALSE(good.database->collection().stale());

  cluster->Start();
  scheduler.RunCycle();
  EXPECT_FALSE(store.List().at(0).database->collection().stale());
}

TEST(SchedulerTest, BackoffDelaysReconnectAfterFailure) {
  const int port = testing::FreeLoopbackPortNobodyListensOn();
  SnapshotStore store;
  Scheduler scheduler(OneTarget(Target("t", "host=127.0.0.1 port=" + std::to_string(port) + " user=x")),
                      store, true);
  scheduler.RunCycle();
  const auto first = store.List().at(0);
  EXPECT_EQ(first.database->collection().error_class(), v1::ERROR_CLASS_CONNECT);
  // Within the backoff the failure is reported again without a new attempt.
  scheduler.RunCycle();
  const auto second = store.List().at(0);
  EXPECT_EQ(second.database->collection().error(), first.database->collection().error());
  EXPECT_LT(second.database->collection().duration().nanos(), 1000000);
}

// A target that hangs holds a worker until its deadline: once it has failed,
// healthy targets go first and do not queue behind it.
// Two targets whose servers accept and never answer, listed first, then a
// healthy one; one database collected at a time.
Config HungTargetsThenHealthy(const testing::Blackhole& hung_a, const testing::Blackhole& hung_b,
                              const PgCluster& healthy) {
  Config config;
  config.agent.timeout = 1s;
  config.agent.concurrency = 1;
  for (const testing::Blackhole* hung : {&hung_a, &hung_b}) {
    config.targets.push_back(Target("hung-" + std::to_string(hung->port()),
                                    "host=127.0.0.1 port=" + std::to_string(hung->port()) + " user=x"));
  }
  config.targets.push_back(Target("healthy", healthy.Dsn()));
  return config;
}

constexpr char kHealthy[] = "targets/healthy/databases/postgres";
// libpq 15 counts connect_timeout (2 s for the hung targets, its minimum) in
// whole seconds of the clock, so a hung attempt gives up after 1 to 2 s.
constexpr auto kHungAttemptAtLeast = 1s;

struct CycleTimes {
  std::chrono::steady_clock::duration healthy_published;
  std::chrono::steady_clock::duration cycle;
};

// Runs a cycle, timing when the healthy target's snapshot replaces `before`
// and when the cycle ends.
CycleTimes TimeCycle(Scheduler& scheduler, const SnapshotStore& store,
                     const std::shared_ptr<const v1::DatabasePosture>& before) {
  const auto started = std::chrono::steady_clock::now();
  std::thread cycle([&] { scheduler.RunCycle(); });
  const auto published = [&] {
    const std::optional<DatabaseSnapshot> now = store.Find(kHealthy);
    return now && now->database != before;
  };
  while (!published() && std::chrono::steady_clock::now() - started < 30s) std::this_thread::sleep_for(10ms);
  CycleTimes times;
  times.healthy_published = std::chrono::steady_clock::now() - started;
  cycle.join();
  times.cycle = std::chrono::steady_clock::now() - started;
  return times;
}

TEST(SchedulerTest, FailingTargetsGoLastSoHealthyOnesDoNotQueueBehindThem) {
  PgCluster cluster;
  testing::Blackhole hung_a;
  testing::Blackhole hung_b;
  SnapshotStore store;
  Scheduler scheduler(HungTargetsThenHealthy(hung_a, hung_b, cluster), store, /*backoff=*/false);
  scheduler.RunCycle();  // learns which targets fail
  const auto before = store.Find(kHealthy).value().database;
  ASSERT_FALSE(before->collection().stale()) << before->collection().error();
  std::map<std::string, std::shared_ptr<const v1::DatabasePosture>> hung_before;
  for (const testing::Blackhole* hung : {&hung_a, &hung_b}) {
    const std::string name = "targets/hung-" + std::to_string(hung->port()) + "/databases/x";
    hung_before[name] = store.Find(name).value().database;
  }

  const CycleTimes times = TimeCycle(scheduler, store, before);
  EXPECT_FALSE(store.Find(kHealthy).value().database->collection().stale());
  EXPECT_LT(times.healthy_published, 1s) << "the healthy target waited for the hung ones";
  // The hung targets were still tried, after it, each until its deadline.
  EXPECT_GT(times.cycle, kHungAttemptAtLeast);
  for (const auto& [name, earlier] : hung_before) {
    const auto now = store.Find(name).value().database;
    EXPECT_NE(now, earlier) << name << " was not tried again";
    EXPECT_EQ(now->collection().error_class(), v1::ERROR_CLASS_TIMEOUT) << name;
  }
}

// The first cycle does not know yet which targets hang: their connection
// attempts wait outside the worker's slot, so the healthy target is
// collected while they wait, not after libpq's connect_timeout each.
TEST(SchedulerTest, HungTargetsDoNotStallTheFirstCycle) {
  PgCluster cluster;
  testing::Blackhole hung_a;
  testing::Blackhole hung_b;
  SnapshotStore store;
  Scheduler scheduler(HungTargetsThenHealthy(hung_a, hung_b, cluster), store, /*backoff=*/false);

  const CycleTimes times = TimeCycle(scheduler, store, nullptr);
  ASSERT_TRUE(store.Find(kHealthy));
  EXPECT_FALSE(store.Find(kHealthy).value().database->collection().stale());
  EXPECT_GT(times.cycle, kHungAttemptAtLeast)
      << "the hung targets were not tried until their connect_timeout";
  EXPECT_LT(times.healthy_published, 1s) << "the healthy target waited for the hung ones";
  for (const testing::Blackhole* hung : {&hung_a, &hung_b}) {
    const auto snapshot = store.Find("targets/hung-" + std::to_string(hung->port()) + "/databases/x");
    ASSERT_TRUE(snapshot);
    EXPECT_TRUE(snapshot->database->collection().stale());
  }
}

// The end of every cycle runs before the agent is marked ready: what it
// prepares (the scrape text) is in place for whoever sees the agent ready.
TEST(SchedulerTest, CycleFinishedRunsBeforeTheAgentIsReadyAndReadyOnce) {
  PgCluster cluster;
  SnapshotStore store;
  Config config = OneTarget(Target("t", cluster.Dsn()));
  config.agent.interval = 100ms;
  Scheduler scheduler(config, store, /*backoff=*/false);

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> calls;
  const auto record = [&](const std::string& call) {
    std::lock_guard<std::mutex> lock(mutex);
    calls.push_back(call);
    changed.notify_all();
  };
  RunHooks hooks;
  hooks.cycle_finished = [&] {
    record(std::string("cycle_finished, ready ") + (store.ready() ? "yes" : "no") + ", published " +
           std::to_string(store.List().size()));
  };
  hooks.ready = [&] { record(std::string("ready, ready ") + (store.ready() ? "yes" : "no")); };
  std::thread runner([&] { scheduler.Run(hooks); });
  {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait_for(lock, 20s, [&] { return calls.size() >= 4; });
  }
  scheduler.Stop(1s);
  runner.join();

  ASSERT_GE(calls.size(), 4u);
  EXPECT_EQ(calls[0], "cycle_finished, ready no, published 1");
  EXPECT_EQ(calls[1], "ready, ready yes");
  EXPECT_EQ(calls[2], "cycle_finished, ready yes, published 1");
  EXPECT_EQ(calls[3], "cycle_finished, ready yes, published 1") << "ready is told once";
}

}  // namespace
}  // namespace pgposture
