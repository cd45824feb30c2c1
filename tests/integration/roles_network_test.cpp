// Roles and network facts against real clusters in two postures, role
// changes between cycles, and a live psql superuser session.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <pqxx/pqxx>
#include <thread>

#include "agent/collect/scheduler.h"
#include "agent/install/installer.h"
#include "tests/harness/pg_cluster.h"
#include "tests/harness/process.h"
#include "tests/harness/test_certificate.h"

namespace pgposture {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing::PgCluster;
using testing::PgClusterOptions;
using testing::TestCertificate;
using namespace std::chrono_literals;

constexpr const char* kPassword = "role-pw";
constexpr const char* kPsql = "/usr/lib/postgresql/15/bin/psql";

const v1::Finding& FindingOf(const v1::DatabasePosture& posture, const std::string& id) {
  for (const v1::Finding& finding : posture.findings()) {
    if (finding.check_id() == id) return finding;
  }
  throw std::runtime_error("no finding " + id);
}

const v1::Role& RoleOf(const v1::DatabasePosture& posture, const std::string& name) {
  for (const v1::Role& role : posture.roles().roles()) {
    if (role.name() == name) return role;
  }
  throw std::runtime_error("no role " + name);
}

const v1::SessionGroup* SessionsOf(const v1::DatabasePosture& posture, const std::string& role,
                                   const std::string& application) {
  for (const v1::SessionGroup& group : posture.roles().sessions()) {
    if (group.role() == role && group.application_name() == application) return &group;
  }
  return nullptr;
}

const v1::HbaRule& RuleFor(const v1::DatabasePosture& posture, const std::string& address,
                           const std::string& auth_method) {
  for (const v1::HbaRule& rule : posture.network().hba_rules()) {
    if (rule.address() == address && rule.auth_method() == auth_method) return rule;
  }
  throw std::runtime_error("no hba rule for " + address + " " + auth_method);
}

std::vector<v1::HbaRisk> Risks(const v1::HbaRule& rule) {
  std::vector<v1::HbaRisk> risks;
  for (int risk : rule.risks()) risks.push_back(static_cast<v1::HbaRisk>(risk));
  return risks;
}

// A self-signed certificate made for this test run, in a directory removed
// afterwards.
class RolesNetworkTest : public ::testing::Test {
 protected:
  // Starts a cluster with a login role `agent` (no superuser) and, unless
  // told otherwise, `pgposture install` for it.
  void StartCluster(PgClusterOptions options = {}, bool install = true) {
    cluster_ = std::make_unique<PgCluster>(std::move(options));
    cluster_->Psql(std::string("CREATE ROLE agent LOGIN PASSWORD '") + kPassword + "'");
    if (install) Install(SuperuserDsn(), "agent");
    Config config;
    config.agent.timeout = 5s;
    TargetConfig target;
    target.name = "t";
    target.dsn = AgentDsn();
    target.environment = "prod";
    config.targets.push_back(target);
    agent_ = std::make_unique<Scheduler>(config, store_, false);
    observer_ = std::make_unique<pqxx::connection>(SuperuserDsn() + " application_name=test-observer");
  }

  // Over the Unix socket, which every pg_hba.conf here trusts.
  std::string SuperuserDsn() const {
    return "host=" + cluster_->dir() + " port=" + std::to_string(cluster_->port()) +
           " dbname=postgres user=postgres";
  }

  std::string AgentDsn() const { return cluster_->Dsn("postgres", "agent") + " password=" + kPassword; }

  // One cycle of the agent; the roles and network collectors must not fail.
  // Setup statements run through psql (as a superuser!), and a backend
  // leaves pg_stat_activity a moment after its client: wait for those.
  v1::DatabasePosture Collect() {
    WaitFor("setup psql sessions to end",
            [this] { return SessionCount("query <> 'SELECT pg_sleep(60)'") == 0; });
    agent_->RunCycle();
    v1::DatabasePosture posture = MergedPosture(store_.List().at(0));
    EXPECT_FALSE(posture.collection().stale()) << posture.collection().error();
    for (const v1::CollectorError& error : posture.collection().collector_errors()) {
      EXPECT_TRUE(error.collector() != "roles" && error.collector() != "network")
          << error.collector() << ": " << error.message();
    }
    return posture;
  }

  // A session of `user` from 127.0.0.1 as application `application`.
  std::unique_ptr<pqxx::connection> ClientSession(const std::string& user, const std::string& application,
                                                  const std::string& sslmode) const {
    return std::make_unique<pqxx::connection>(cluster_->Dsn("postgres", user) + " password=" + kPassword +
                                              " application_name=" + application + " sslmode=" + sslmode);
  }

  // psql as the bootstrap superuser over the Unix socket, holding a session
  // open in pg_sleep; returns once the server shows it.
  std::unique_ptr<testing::Process> PsqlSuperuserSession() const {
    const int before = SessionCount(kSleeping);
    auto psql = std::make_unique<testing::Process>(
        testing::Command({kPsql, "--host=" + cluster_->dir(), "--port=" + std::to_string(cluster_->port()),
                          "--username=postgres", "--dbname=postgres", "-X", "-c", "SELECT pg_sleep(60)"}));
    WaitFor("the psql session to show", [&] { return SessionCount(kSleeping) == before + 1; });
    return psql;
  }

  void TerminateSleepingPsqlSessions() const {
    pqxx::nontransaction(*observer_)
        .exec(std::string(
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'psql' "
                  "AND ") +
              kSleeping);
    WaitFor("psql sessions to end", [this] { return SessionCount(kSleeping) == 0; });
  }

  // psql sessions (other than the observer's) matching `condition`.
  int SessionCount(const std::string& condition) const {
    return pqxx::nontransaction(*observer_)
        .exec1("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'psql' AND " + condition)[0]
        .as<int>();
  }

  static void WaitFor(const std::string& what, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("timed out waiting for " + what);
      std::this_thread::sleep_for(50ms);
    }
  }

  static constexpr const char* kSleeping = "query = 'SELECT pg_sleep(60)'";

  std::unique_ptr<PgCluster> cluster_;
  SnapshotStore store_;
  std::unique_ptr<Scheduler> agent_;
  /// A superuser session over the Unix socket for looking and terminating;
  /// it shows in the facts as one session of application "test-observer".
  std::unique_ptr<pqxx::connection> observer_;
};

// No pgaudit, an md5 password, a second login superuser, pg_hba.conf
// trusting every address, no SSL.
TEST_F(RolesNetworkTest, PrototypeClusterFailsTheRolesAndNetworkChecks) {
  PgClusterOptions options;
  options.pgaudit = false;
  options.hba =
      "local all all trust\n"
      "host all postgres 127.0.0.1/32 trust\n"
      "host all all 127.0.0.1/32 scram-sha-256\n"
      "host all all 10.0.0.0/8 md5\n"
      "host all all 0.0.0.0/0 trust\n";
  StartCluster(options);
  cluster_->Psql("SET password_encryption = 'md5'; CREATE ROLE legacy LOGIN PASSWORD 'legacy-pw'");
  cluster_->Psql(std::string("CREATE ROLE admin LOGIN SUPERUSER PASSWORD '") + kPassword + "'");
  cluster_->Psql(std::string("CREATE ROLE app LOGIN PASSWORD '") + kPassword + "'");
  auto app = ClientSession("app", "web", "disable");

  const v1::DatabasePosture posture = Collect();
  EXPECT_EQ(posture.roles().password_encryption(), "scram-sha-256");
  EXPECT_EQ(RoleOf(posture, "legacy").password_kind(), v1::PASSWORD_KIND_MD5);
  EXPECT_EQ(RoleOf(posture, "app").password_kind(), v1::PASSWORD_KIND_SCRAM_SHA_256);
  EXPECT_TRUE(RoleOf(posture, "admin").superuser());
  EXPECT_FALSE(RoleOf(posture, "admin").bootstrap());
  EXPECT_TRUE(RoleOf(posture, "postgres").bootstrap());
  EXPECT_FALSE(RoleOf(posture, "agent").superuser()) << "the agent needs no superuser";
  for (const v1::Role& role : posture.roles().roles()) {
    EXPECT_NE(role.name().rfind("pg_", 0), 0u) << "predefined roles are left out: " << role.name();
  }
  EXPECT_EQ(posture.roles().never_expiring_passwords(), 4);  // legacy, admin, app, agent
  EXPECT_EQ(posture.roles().expired_passwords(), 0);

  const v1::SessionGroup* web = SessionsOf(posture, "app", "web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->client_addr(), "127.0.0.1");
  EXPECT_EQ(web->count(), 1);
  EXPECT_EQ(web->without_ssl(), 1);
  EXPECT_FALSE(web->interactive());
  EXPECT_EQ(SessionsOf(posture, "agent", "pgposture"), nullptr) << "the agent's own session is left out";

  const v1::NetworkFacts& network = posture.network();
  EXPECT_EQ(network.listen_addresses(), "127.0.0.1");
  EXPECT_FALSE(network.ssl());
  EXPECT_EQ(network.hba_rules_size(), 5);
  EXPECT_EQ(Risks(RuleFor(posture, "0.0.0.0", "trust")),
            (std::vector<v1::HbaRisk>{v1::HBA_RISK_OPEN_TO_ALL, v1::HBA_RISK_REMOTE_TRUST,
                                      v1::HBA_RISK_REMOTE_NON_SSL}));
  EXPECT_EQ(Risks(RuleFor(posture, "10.0.0.0", "md5")),
            (std::vector<v1::HbaRisk>{v1::HBA_RISK_REMOTE_CLEARTEXT_OR_MD5, v1::HBA_RISK_REMOTE_NON_SSL}));
  EXPECT_TRUE(RuleFor(posture, "127.0.0.1", "trust").risks().empty()) << "loopback";
  EXPECT_EQ(network.rules_open_to_all(), 1);
  EXPECT_EQ(network.remote_trust_rules(), 1);
  EXPECT_EQ(network.remote_cleartext_or_md5_rules(), 1);
  EXPECT_EQ(network.remote_non_ssl_rules(), 2);
  EXPECT_EQ(network.client_connections(), 2) << "app and the observer; the agent is left out";
  EXPECT_EQ(network.client_connections_without_ssl(), 1);

  const v1::Finding& weak = FindingOf(posture, "roles.no_md5_or_plaintext_passwords");
  EXPECT_EQ(weak.status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(weak.detail(), "roles with weak password hashes: legacy (md5)");
  EXPECT_FALSE(weak.remediation().empty());
  const v1::Finding& superusers = FindingOf(posture, "roles.only_bootstrap_superuser");
  EXPECT_EQ(superusers.status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(superusers.detail(), "superusers besides the bootstrap role: admin");
  const v1::Finding& trust = FindingOf(posture, "network.no_remote_trust");
  EXPECT_EQ(trust.status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(trust.detail(), "line 5: host all all 0.0.0.0/0.0.0.0 trust");
  EXPECT_EQ(FindingOf(posture, "network.no_rule_open_to_all").status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(FindingOf(posture, "network.ssl_on").status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(FindingOf(posture, "roles.no_interactive_superuser_sessions").status(), v1::CHECK_STATUS_PASS);
  EXPECT_LT(posture.maturity_level(), v1::MATURITY_LEVEL_PRODUCTION);
}

// SCRAM only, SSL on with a certificate, hostssl only for remote hosts.
TEST_F(RolesNetworkTest, ProductionClusterPassesTheRolesAndNetworkChecks) {
  const TestCertificate certificate;
  PgClusterOptions options;
  options.ssl_dir = certificate.dir();
  options.hba =
      "local all all trust\n"
      "hostssl all all 127.0.0.1/32 scram-sha-256\n"
      "hostssl all all 10.0.0.0/8 scram-sha-256\n";
  StartCluster(options);
  cluster_->Psql(std::string("CREATE ROLE app LOGIN PASSWORD '") + kPassword + "' VALID UNTIL 'infinity'");
  auto app = ClientSession("app", "web", "require");

  const v1::DatabasePosture posture = Collect();
  EXPECT_EQ(posture.roles().password_encryption(), "scram-sha-256");
  EXPECT_EQ(RoleOf(posture, "app").password_kind(), v1::PASSWORD_KIND_SCRAM_SHA_256);
  EXPECT_EQ(RoleOf(posture, "postgres").password_kind(), v1::PASSWORD_KIND_NONE);
  EXPECT_FALSE(RoleOf(posture, "app").has_valid_until()) << "VALID UNTIL 'infinity' never expires";
  EXPECT_EQ(posture.roles().never_expiring_passwords(), 2);  // app, agent
  const v1::SessionGroup* web = SessionsOf(posture, "app", "web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->without_ssl(), 0);

  const v1::NetworkFacts& network = posture.network();
  EXPECT_TRUE(network.ssl());
  EXPECT_EQ(network.hba_rules_size(), 3);
  for (const v1::HbaRule& rule : network.hba_rules()) EXPECT_TRUE(rule.risks().empty()) << rule.line_number();
  EXPECT_EQ(network.rules_open_to_all(), 0);
  EXPECT_EQ(network.remote_trust_rules(), 0);
  EXPECT_EQ(network.remote_cleartext_or_md5_rules(), 0);
  EXPECT_EQ(network.remote_non_ssl_rules(), 0);
  EXPECT_EQ(network.client_connections(), 2) << "app and the observer";
  EXPECT_EQ(network.client_connections_without_ssl(), 0) << "the observer uses the Unix socket";

  for (const char* id : {"roles.no_interactive_superuser_sessions", "roles.no_md5_or_plaintext_passwords",
                         "roles.only_bootstrap_superuser", "roles.no_bypassrls", "network.ssl_on",
                         "network.no_remote_trust", "network.no_rule_open_to_all"}) {
    const v1::Finding& finding = FindingOf(posture, id);
    EXPECT_EQ(finding.status(), v1::CHECK_STATUS_PASS) << id << ": " << finding.detail();
  }
}

// pg_hba.conf as the server reads it now: lists in their order, names as
// written (quotes, spaces and XML's special characters), and a line it
// cannot parse, appended after start, with the server's reason.
TEST_F(RolesNetworkTest, HbaRulesKeepTheirListsNamesAndErrors) {
  PgClusterOptions options;
  options.hba =
      "local all all trust\n"
      "host all agent 127.0.0.1/32 scram-sha-256\n"
      "host sales,\"Billing Dept\",all alice,+ops,\"a<b&c>\" 127.0.0.1/32 scram-sha-256\n";
  StartCluster(options);
  std::ofstream(cluster_->dir() + "/data/pg_hba.conf", std::ios::app) << "host all all 10.0.0.0/99 md5\n";

  const v1::NetworkFacts network = Collect().network();
  ASSERT_EQ(network.hba_rules_size(), 4);
  const v1::HbaRule& lists = network.hba_rules(2);
  EXPECT_EQ(lists.line_number(), 3);
  EXPECT_EQ(lists.type(), "host");
  EXPECT_EQ(std::vector<std::string>(lists.database().begin(), lists.database().end()),
            (std::vector<std::string>{"sales", "Billing Dept", "all"}));
  EXPECT_EQ(std::vector<std::string>(lists.user_name().begin(), lists.user_name().end()),
            (std::vector<std::string>{"alice", "+ops", "a<b&c>"}));
  EXPECT_EQ(lists.address(), "127.0.0.1");
  EXPECT_EQ(lists.netmask(), "255.255.255.255");
  EXPECT_EQ(lists.auth_method(), "scram-sha-256");
  EXPECT_EQ(lists.error(), "");
  const v1::HbaRule& broken = network.hba_rules(3);
  EXPECT_EQ(broken.line_number(), 4);
  EXPECT_NE(broken.error().find("10.0.0.0/99"), std::string::npos) << broken.error();
  EXPECT_EQ(broken.auth_method(), "");
}

// Once the rules are read directly, pg_hba.conf is read again only after the
// server has loaded its configuration: an edit shows when it takes effect.
TEST_F(RolesNetworkTest, HbaRulesAreReadAgainWhenTheServerReloadsThem) {
  PgClusterOptions options;
  options.hba = "local all all trust\nhost all agent 127.0.0.1/32 scram-sha-256\n";
  StartCluster(options);
  EXPECT_EQ(Collect().network().hba_rules_size(), 2) << "guarded";
  EXPECT_EQ(Collect().network().hba_rules_size(), 2) << "direct";

  std::ofstream(cluster_->dir() + "/data/pg_hba.conf", std::ios::app) << "host all all 0.0.0.0/0 trust\n";
  const v1::DatabasePosture edited = Collect();
  EXPECT_EQ(edited.network().hba_rules_size(), 2) << "the server does not apply the edit before a reload";
  EXPECT_EQ(edited.network().rules_open_to_all(), 0);
  EXPECT_EQ(FindingOf(edited, "network.no_rule_open_to_all").status(), v1::CHECK_STATUS_PASS);

  cluster_->Psql("SELECT pg_reload_conf()");
  // The postmaster passes the reload on to the agent's backend a moment
  // later; the backend loads it before its next statement.
  v1::DatabasePosture reloaded;
  for (int cycle = 0; cycle < 20 && reloaded.network().hba_rules_size() != 3; ++cycle) {
    if (cycle > 0) std::this_thread::sleep_for(100ms);
    reloaded = Collect();
  }
  ASSERT_EQ(reloaded.network().hba_rules_size(), 3);
  EXPECT_EQ(reloaded.network().hba_rules(2).auth_method(), "trust");
  EXPECT_EQ(reloaded.network().rules_open_to_all(), 1);
  EXPECT_EQ(FindingOf(reloaded, "network.no_rule_open_to_all").status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(Collect().network().hba_rules_size(), 3) << "kept until the next reload";
}

TEST_F(RolesNetworkTest, RoleChangesBetweenCyclesAreEvents) {
  StartCluster();
  const v1::DatabasePosture baseline = Collect();
  EXPECT_EQ(baseline.roles().recent_changes_size(), 0) << "the first cycle has nothing to compare with";

  cluster_->Psql("CREATE ROLE temp LOGIN PASSWORD 'temp-pw'");
  const v1::DatabasePosture created = Collect();
  ASSERT_EQ(created.roles().recent_changes_size(), 1);
  const v1::RoleChangeEvent& create = created.roles().recent_changes(0);
  EXPECT_EQ(create.role(), "temp");
  EXPECT_EQ(create.change(), v1::ROLE_CHANGE_KIND_CREATED);
  EXPECT_EQ(create.detail(), "+login");
  EXPECT_GT(create.first_seen_at().seconds(), 0);

  cluster_->Psql(
      "ALTER ROLE temp SUPERUSER; GRANT pg_monitor TO temp; ALTER ROLE temp SET work_mem = '64MB';"
      "SET password_encryption = 'md5'; ALTER ROLE temp PASSWORD 'temp-pw2'");
  const v1::DatabasePosture altered = Collect();
  ASSERT_EQ(altered.roles().recent_changes_size(), 5);
  const auto& changes = altered.roles().recent_changes();
  EXPECT_EQ(changes[0].change(), v1::ROLE_CHANGE_KIND_ATTRIBUTES);
  EXPECT_EQ(changes[0].detail(), "+superuser");
  EXPECT_EQ(changes[1].change(), v1::ROLE_CHANGE_KIND_MEMBERSHIP);
  EXPECT_EQ(changes[1].detail(), "+pg_monitor");
  EXPECT_EQ(changes[2].change(), v1::ROLE_CHANGE_KIND_SETTINGS);
  EXPECT_EQ(changes[2].detail(), "+work_mem=64MB");
  EXPECT_EQ(changes[3].change(), v1::ROLE_CHANGE_KIND_PASSWORD);
  EXPECT_EQ(changes[3].detail(), "scram-sha-256 -> md5");
  EXPECT_EQ(changes[4].change(), v1::ROLE_CHANGE_KIND_CREATED) << "older events follow, newest first";
  EXPECT_GE(changes[0].first_seen_at().seconds(), changes[4].first_seen_at().seconds());
  EXPECT_EQ(FindingOf(altered, "roles.only_bootstrap_superuser").detail(),
            "superusers besides the bootstrap role: temp");

  cluster_->Psql("DROP ROLE temp");
  const v1::DatabasePosture dropped = Collect();
  ASSERT_EQ(dropped.roles().recent_changes_size(), 6);
  EXPECT_EQ(dropped.roles().recent_changes(0).role(), "temp");
  EXPECT_EQ(dropped.roles().recent_changes(0).change(), v1::ROLE_CHANGE_KIND_DROPPED);

  EXPECT_EQ(Collect().roles().recent_changes_size(), 6) << "no change, no event";
}

TEST_F(RolesNetworkTest, LivePsqlSuperuserSessionIsSeenAndCountedOnce) {
  StartCluster();
  EXPECT_EQ(Collect().roles().interactive_superuser_sessions_seen(), 0);
  const auto psql = PsqlSuperuserSession();

  for (int cycle = 0; cycle < 2; ++cycle) {
    const v1::DatabasePosture posture = Collect();
    EXPECT_EQ(posture.roles().interactive_superuser_sessions(), 1) << "cycle " << cycle;
    EXPECT_EQ(posture.roles().interactive_superuser_sessions_seen(), 1) << "cycle " << cycle;
    const v1::SessionGroup* group = SessionsOf(posture, "postgres", "psql");
    ASSERT_NE(group, nullptr);
    EXPECT_TRUE(group->superuser());
    EXPECT_TRUE(group->interactive());
    EXPECT_EQ(group->client_addr(), "") << "over the Unix socket";
    EXPECT_EQ(group->count(), 1);
    const v1::Finding& finding = FindingOf(posture, "roles.no_interactive_superuser_sessions");
    EXPECT_EQ(finding.status(), v1::CHECK_STATUS_FAIL);
    EXPECT_EQ(finding.detail(),
              "interactive superuser sessions open: 1 of postgres from \"psql\" at local socket");
  }

  TerminateSleepingPsqlSessions();
  v1::DatabasePosture posture = Collect();
  EXPECT_EQ(posture.roles().interactive_superuser_sessions(), 0);
  EXPECT_EQ(posture.roles().interactive_superuser_sessions_seen(), 1) << "seen since start, not now";
  EXPECT_EQ(FindingOf(posture, "roles.no_interactive_superuser_sessions").status(), v1::CHECK_STATUS_PASS);

  const auto second = PsqlSuperuserSession();
  posture = Collect();
  EXPECT_EQ(posture.roles().interactive_superuser_sessions(), 1);
  EXPECT_EQ(posture.roles().interactive_superuser_sessions_seen(), 2);
  TerminateSleepingPsqlSessions();
}

// The first cycle reads the install's functions guarded (they might be
// missing), later ones call them directly: the facts are the same. Losing the
// install mid-run turns them unknown in that very cycle, without an error.
TEST_F(RolesNetworkTest, InstalledFactsAreTheSameEveryCycleAndLosingTheInstallIsNoError) {
  PgClusterOptions options;
  options.hba =
      "local all all trust\n"
      "host all agent 127.0.0.1/32 scram-sha-256\n"
      "host sales,\"Billing Dept\" alice,+ops 10.0.0.0/8 md5\n";
  StartCluster(options);
  cluster_->Psql("SET password_encryption = 'md5'; CREATE ROLE legacy LOGIN PASSWORD 'x'");

  const v1::DatabasePosture guarded = Collect();
  const v1::DatabasePosture direct = Collect();
  EXPECT_EQ(RoleOf(guarded, "legacy").password_kind(), v1::PASSWORD_KIND_MD5);
  ASSERT_EQ(direct.roles().roles_size(), guarded.roles().roles_size());
  for (int i = 0; i < guarded.roles().roles_size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(direct.roles().roles(i), guarded.roles().roles(i)))
        << direct.roles().roles(i).ShortDebugString() << " vs "
        << guarded.roles().roles(i).ShortDebugString();
  }
  EXPECT_EQ(guarded.network().hba_rules_size(), 3);
  EXPECT_TRUE(MessageDifferencer::Equals(direct.network(), guarded.network()))
      << direct.network().ShortDebugString() << " vs " << guarded.network().ShortDebugString();

  Uninstall(SuperuserDsn());
  const v1::DatabasePosture uninstalled = Collect();
  for (const v1::Role& role : uninstalled.roles().roles()) {
    EXPECT_EQ(role.password_kind(), v1::PASSWORD_KIND_UNSPECIFIED) << role.name();
  }
  EXPECT_EQ(uninstalled.network().hba_rules_size(), 0);
  EXPECT_EQ(FindingOf(uninstalled, "roles.no_md5_or_plaintext_passwords").status(), v1::CHECK_STATUS_UNKNOWN);
  EXPECT_EQ(FindingOf(uninstalled, "network.no_rule_open_to_all").status(), v1::CHECK_STATUS_UNKNOWN);

  Install(SuperuserDsn(), "agent");
  for (int cycle = 0; cycle < 2; ++cycle) {
    const v1::DatabasePosture reinstalled = Collect();
    EXPECT_EQ(RoleOf(reinstalled, "legacy").password_kind(), v1::PASSWORD_KIND_MD5) << "cycle " << cycle;
    EXPECT_TRUE(MessageDifferencer::Equals(reinstalled.network(), guarded.network())) << "cycle " << cycle;
  }
}

// Without `pgposture install` for the agent's role (here: installed for
// another role, so the schema exists but the agent may not use it), the
// collectors still work and report what they cannot read as unknown.
TEST_F(RolesNetworkTest, WithoutTheInstallPrivilegedFactsAreUnknownNotFine) {
  StartCluster({}, /*install=*/false);
  cluster_->Psql("GRANT pg_monitor, pg_read_all_settings TO agent");
  cluster_->Psql("CREATE ROLE other LOGIN");
  Install(SuperuserDsn(), "other");
  cluster_->Psql(
      "SET password_encryption = 'md5'; CREATE ROLE legacy LOGIN PASSWORD 'x' "
      "VALID UNTIL '2001-01-01 00:00:00+00'");

  const v1::DatabasePosture posture = Collect();
  ASSERT_GT(posture.roles().roles_size(), 0);
  for (const v1::Role& role : posture.roles().roles()) {
    EXPECT_EQ(role.password_kind(), v1::PASSWORD_KIND_UNSPECIFIED) << role.name();
  }
  EXPECT_EQ(RoleOf(posture, "legacy").valid_until().seconds(), 978307200) << "expiry needs no install";
  EXPECT_FALSE(posture.roles().has_expired_passwords());
  EXPECT_FALSE(posture.roles().has_never_expiring_passwords());
  EXPECT_TRUE(posture.network().has_ssl());
  EXPECT_EQ(posture.network().hba_rules_size(), 0);
  EXPECT_FALSE(posture.network().has_remote_trust_rules());
  EXPECT_FALSE(posture.network().has_rules_open_to_all());

  for (const char* id :
       {"roles.no_md5_or_plaintext_passwords", "network.no_remote_trust", "network.no_rule_open_to_all"}) {
    const v1::Finding& finding = FindingOf(posture, id);
    EXPECT_EQ(finding.status(), v1::CHECK_STATUS_UNKNOWN) << id << ": " << finding.detail();
    EXPECT_NE(finding.detail().find("pgposture install"), std::string::npos) << finding.detail();
  }
  EXPECT_EQ(FindingOf(posture, "roles.only_bootstrap_superuser").status(), v1::CHECK_STATUS_PASS)
      << "attributes are readable by every role";
}

}  // namespace
}  // namespace pgposture
