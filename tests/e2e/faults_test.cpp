// Faults injected into a real cluster while `pgposture run` audits two of its
// databases: the faulty target's sessions killed, max_connections exhausted,
// its role refused login, pg_hba.conf rejecting it, TLS required while its
// DSN disables TLS. Each time the daemon keeps serving, the faulty target
// shows up 0 with the class of the fault while the bystander target stays up
// and fresh, the faulty target is back within one interval plus the reconnect
// backoff once the fault is gone, and DDL made meanwhile is counted then.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <pqxx/connection>
#include <pqxx/except>
#include <sstream>
#include <thread>

#include "tests/e2e/pgposture_binary.h"
#include "tests/harness/pg_cluster.h"
#include "tests/harness/test_certificate.h"

namespace pgposture::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr const char* kPassword = "fault-pw-3e7a";
constexpr seconds kInterval{1};
constexpr seconds kTimeout{1};
// How often EventuallyEquals and the tests poll /metrics, which bounds how
// late they see a change.
constexpr milliseconds kPoll{200};
// The agent's first reconnect backoff; it doubles per failed attempt.
constexpr seconds kFirstBackoff{1};

// A daemon auditing two databases of one cluster, each through its own agent
// role with capture installed: "faulty" (role pgposture, database postgres),
// which the tests break, and "bystander" (role bystander, its own database).
class FaultsTest : public ::testing::Test {
 protected:
  // `faulty_dsn_options`: libpq options appended to the faulty target's DSN.
  void StartAudit(PgClusterOptions options, const std::string& faulty_dsn_options = "") {
    cluster_ = std::make_unique<PgCluster>(std::move(options));
    cluster_->Psql(std::string("CREATE ROLE pgposture LOGIN PASSWORD '") + kPassword +
                   "';\nCREATE ROLE bystander LOGIN PASSWORD '" + kPassword +
                   "';\nCREATE DATABASE bystander");
    for (const char* name : {"pgposture", "bystander"}) {
      const std::string database = name == std::string("pgposture") ? "postgres" : name;
      const ProcessResult install =
          RunPgposture({"install", "--dsn", cluster_->Dsn(database), "--agent-role", name});
      ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
    }
    const std::string password = WriteTempFile("agent.password", kPassword);
    const auto target = [&](const std::string& name, const std::string& dsn) {
      return "  - name: " + name + "\n    dsn: \"" + dsn + "\"\n    password_file: " + password + "\n";
    };
    std::ostringstream config;
    config << "agent:\n  interval: " << kInterval.count() << "s\n  timeout: " << kTimeout.count() << "s\n"
           << "listen:\n  metrics: \"127.0.0.1:0\"\n  grpc: \"127.0.0.1:0\"\ntargets:\n"
           << target("faulty", cluster_->Dsn("postgres", "pgposture") + faulty_dsn_options)
           << target("bystander", cluster_->Dsn("bystander", "bystander"));
    daemon_ = std::make_unique<Daemon>(WriteTempFile("pgposture.yml", config.str()));
    metrics_ = daemon_->metrics_url() + "/metrics";
    ASSERT_TRUE(EventuallyEquals(metrics_, Series("pgposture_up", "faulty"), 1, seconds(15))) << Scrape();
    ASSERT_TRUE(EventuallyEquals(metrics_, Series("pgposture_up", "bystander"), 1, seconds(15))) << Scrape();
    ddl_before_ = OutOfBandDdl();
  }

  // `family{target=..., database=...` plus `extra` labels, closed: a prefix
  // SampleValue matches exactly.
  static std::string Series(const std::string& family, const std::string& target,
                            const std::string& extra = "") {
    const std::string database = target == "faulty" ? "postgres" : target;
    return family + R"({target=")" + target + R"(",environment="local",database=")" + database + "\"" +
           extra + "} ";
  }

  std::string Scrape() const { return HttpGet(metrics_); }

  double OutOfBandDdl() const {
    const std::string body = Scrape();
    const auto count =
        SampleValue(body, Series("pgposture_ddl_events_total", "faulty", R"(,classification="out_of_band")"));
    EXPECT_TRUE(count) << body;
    return count.value_or(-1);
  }

  // Ends every session of the faulty target's role, as a DBA would; the
  // agent must open a new one, through whatever fault is in place.
  Clock::time_point KillFaultySessions() const {
    const auto killed_at = Clock::now();
    cluster_->Psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'pgposture'");
    return killed_at;
  }

  // What a user checks while a fault lasts: the faulty target is down with
  // `error_class`, the daemon still serves, the bystander is up and collected
  // anew.
  void ExpectFaultShown(const std::string& error_class) {
    const std::string error =
        Series("pgposture_collection_error", "faulty", R"(,class=")" + error_class + "\"");
    ASSERT_TRUE(EventuallyEquals(metrics_, error, 1, seconds(10))) << Scrape();
    const std::string body = Scrape();
    EXPECT_EQ(SampleValue(body, Series("pgposture_up", "faulty")), 0) << body;
    EXPECT_EQ(SampleValue(body, Series("pgposture_up", "bystander")), 1) << body;
    EXPECT_FALSE(SampleValue(body, R"(pgposture_collection_error{target="bystander")")) << body;
    const std::string fresh = Series("pgposture_last_success_timestamp_seconds", "bystander");
    const double collected = SampleValue(body, fresh).value_or(0);
    const auto deadline = Clock::now() + 3 * kInterval;
    while (SampleValue(Scrape(), fresh).value_or(0) <= collected && Clock::now() < deadline) {
      std::this_thread::sleep_for(kPoll);
    }
    EXPECT_GT(SampleValue(Scrape(), fresh).value_or(0), collected) << "bystander not collected anew";
    EXPECT_EQ(HttpStatus(daemon_->metrics_url() + "/healthz"), 200);
  }

  // Waits for the faulty target to be up again after its fault, which began
  // at `fault_began`, was removed just now; fails past one interval plus the
  // reconnect backoff. The backoff starts at 1 s and doubles per failed
  // attempt, attempts being at least a backoff apart, so after failing since
  // `fault_began` it is at most the fault's length plus the first backoff.
  void ExpectRecovery(const std::string& fault, Clock::time_point fault_began) {
    const auto removed_at = Clock::now();
    const auto backoff = std::chrono::duration_cast<milliseconds>(removed_at - fault_began) + kFirstBackoff;
    // A collection may take up to the timeout; the poll sees it late by kPoll.
    const milliseconds bound = kInterval + backoff + kTimeout + kPoll;
    const bool back = EventuallyEquals(metrics_, Series("pgposture_up", "faulty"), 1,
                                       std::chrono::duration_cast<seconds>(bound) + seconds(10));
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - removed_at);
    EXPECT_TRUE(back) << Scrape();
    EXPECT_LE(took, bound) << fault << ": back after " << took.count() << " ms";
    std::cout << fault << ": up again " << took.count() << " ms after the fault was removed (bound "
              << bound.count() << " ms)\n";
  }

  // The out-of-band table made during the fault is counted once the faulty
  // target is back, within its next collection.
  void ExpectDdlMadeDuringTheFaultCounted() {
    EXPECT_TRUE(EventuallyEquals(
        metrics_, Series("pgposture_ddl_events_total", "faulty", R"(,classification="out_of_band")"),
        ddl_before_ + 1, kInterval + kTimeout + seconds(1)))
        << Scrape();
  }

  // Replaces pg_hba.conf and has the server load it: it applies to new
  // sessions only.
  void ReloadHba(const std::string& rules) const {
    std::ofstream(cluster_->dir() + "/data/pg_hba.conf") << rules;
    ASSERT_EQ(cluster_->PsqlValue("SELECT pg_reload_conf()"), "t");
  }

  std::unique_ptr<PgCluster> cluster_;
  std::unique_ptr<Daemon> daemon_;
  std::string metrics_;
  double ddl_before_ = 0;
};

// pgcluster.sh's default rules, which let the agents in with their password;
// `agent_rule` comes first, so it decides for the faulty target's role.
std::string Hba(const std::string& agent_rule) {
  return "local all all trust\n" + agent_rule +
         "\nhost all postgres 127.0.0.1/32 trust\n"
         "host all all 127.0.0.1/32 scram-sha-256\n";
}

TEST_F(FaultsTest, KilledSessionsAreReplacedWithoutAFalseDown) {
  StartAudit({});
  const std::string pid_query =
      "SELECT pid FROM pg_stat_activity WHERE usename = 'pgposture' AND backend_type = 'client backend'";
  const std::string first_pid = cluster_->PsqlValue(pid_query);
  ASSERT_NE(first_pid, "");

  KillFaultySessions();
  cluster_->Psql("CREATE TABLE public.made_while_killed (id int)");
  // The session died between collections: the next one opens a new session
  // and succeeds, so up never drops, and nothing made meanwhile is missed.
  const auto deadline = Clock::now() + 2 * kInterval + kTimeout;
  while (Clock::now() < deadline) {
    const std::string body = Scrape();
    ASSERT_EQ(SampleValue(body, Series("pgposture_up", "faulty")), 1) << body;
    std::this_thread::sleep_for(kPoll);
  }
  ExpectDdlMadeDuringTheFaultCounted();
  const std::string new_pid = cluster_->PsqlValue(pid_query);
  EXPECT_NE(new_pid, "");
  EXPECT_NE(new_pid, first_pid);
}

TEST_F(FaultsTest, MaxConnectionsExhaustedThenReleased) {
  PgClusterOptions options;
  options.conf_lines = {"max_connections = 8", "superuser_reserved_connections = 2"};
  StartAudit(options);
  cluster_->Psql(std::string("CREATE ROLE holder LOGIN PASSWORD '") + kPassword + "'");
  const std::string holder_dsn = cluster_->Dsn("postgres", "holder") + " password=" + kPassword;

  // Takes every slot left to ordinary roles, until the server refuses one
  // for want of slots; returns how many it took.
  std::vector<std::unique_ptr<pqxx::connection>> held;
  const auto fill = [&] {
    const size_t before = held.size();
    try {
      for (;;) held.push_back(std::make_unique<pqxx::connection>(holder_dsn));
    } catch (const pqxx::broken_connection& full) {
      EXPECT_NE(std::string(full.what()).find("remaining connection slots"), std::string::npos)
          << full.what();
    }
    return held.size() - before;
  };
  ASSERT_GT(fill(), 0u);
  // The agents keep their sessions across cycles, so a full server does not
  // take them down.
  std::this_thread::sleep_for(2 * kInterval);
  EXPECT_EQ(SampleValue(Scrape(), Series("pgposture_up", "faulty")), 1) << Scrape();

  // The daemon is paused while its session is killed, so that the slot this
  // frees goes to the test rather than to the agent reconnecting.
  daemon_->process().Kill(SIGSTOP);
  const auto killed_at = KillFaultySessions();
  size_t refilled = 0;
  for (const auto deadline = Clock::now() + seconds(5); refilled == 0 && Clock::now() < deadline;) {
    refilled = fill();
  }
  daemon_->process().Kill(SIGCONT);
  ASSERT_EQ(refilled, 1u);
  cluster_->Psql("CREATE TABLE public.made_while_full (id int)");
  ExpectFaultShown("too_many_connections");

  held.clear();
  ExpectRecovery("max_connections exhausted", killed_at);
  ExpectDdlMadeDuringTheFaultCounted();
}

TEST_F(FaultsTest, RoleWithoutLoginIsAuthThenHbaRejectIsConnect) {
  StartAudit({});

  cluster_->Psql("ALTER ROLE pgposture NOLOGIN");
  auto fault_began = KillFaultySessions();
  cluster_->Psql("CREATE TABLE public.made_without_login (id int)");
  ExpectFaultShown("auth");
  cluster_->Psql("ALTER ROLE pgposture LOGIN");
  ExpectRecovery("role without LOGIN", fault_began);
  ExpectDdlMadeDuringTheFaultCounted();

  ddl_before_ = OutOfBandDdl();
  ReloadHba(Hba("host all pgposture 127.0.0.1/32 reject"));
  fault_began = KillFaultySessions();
  cluster_->Psql("CREATE TABLE public.made_while_rejected (id int)");
  ExpectFaultShown("connect");
  ReloadHba(Hba(""));
  ExpectRecovery("pg_hba.conf reject", fault_began);
  ExpectDdlMadeDuringTheFaultCounted();
}

TEST_F(FaultsTest, TlsRequiredWhileTheDsnDisablesIt) {
  const TestCertificate certificate;
  PgClusterOptions options;
  options.ssl_dir = certificate.dir();
  StartAudit(options, " sslmode=disable");

  // Unencrypted sessions of the agent's role turned away: TLS is required.
  ReloadHba(Hba("hostnossl all pgposture 127.0.0.1/32 reject"));
  const auto fault_began = KillFaultySessions();
  cluster_->Psql("CREATE TABLE public.made_while_tls_required (id int)");
  ExpectFaultShown("tls");
  ReloadHba(Hba(""));
  ExpectRecovery("TLS required", fault_began);
  ExpectDdlMadeDuringTheFaultCounted();
}

}  // namespace
}  // namespace pgposture::testing
