// The roles and network checks, on literal facts.
#include <gtest/gtest.h>

#include <algorithm>

#include "agent/eval/check_catalog.h"

namespace pgposture {
namespace {

CheckOutcome Outcome(const std::string& id, const v1::DatabasePosture& posture) {
  for (const Check& check : CheckCatalog()) {
    if (check.id == id) return check.evaluate(posture);
  }
  throw std::runtime_error("no check " + id);
}

v1::Role& AddRole(v1::DatabasePosture& posture, const std::string& name, v1::PasswordKind kind) {
  v1::Role& role = *posture.mutable_roles()->add_roles();
  role.set_name(name);
  role.set_login(true);
  role.set_password_kind(kind);
  return role;
}

// A cluster with only the bootstrap superuser and SCRAM passwords, nobody at
// a prompt, SSL on and pg_hba.conf without risky rules.
v1::DatabasePosture Clean() {
  v1::DatabasePosture posture;
  v1::Role& postgres = AddRole(posture, "postgres", v1::PASSWORD_KIND_SCRAM_SHA_256);
  postgres.set_superuser(true);
  postgres.set_bypassrls(true);
  postgres.set_bootstrap(true);
  AddRole(posture, "app", v1::PASSWORD_KIND_SCRAM_SHA_256);
  AddRole(posture, "readers", v1::PASSWORD_KIND_NONE).set_login(false);
  posture.mutable_roles()->set_interactive_superuser_sessions(0);
  v1::NetworkFacts& network = *posture.mutable_network();
  network.set_ssl(true);
  network.set_rules_open_to_all(0);
  network.set_remote_trust_rules(0);
  network.set_remote_cleartext_or_md5_rules(0);
  network.set_remote_non_ssl_rules(0);
  return posture;
}

const std::vector<std::string> kChecks = {"roles.no_interactive_superuser_sessions",
                                          "roles.no_md5_or_plaintext_passwords",
                                          "roles.only_bootstrap_superuser",
                                          "roles.no_bypassrls",
                                          "network.ssl_on",
                                          "network.no_remote_trust",
                                          "network.no_rule_open_to_all"};

TEST(RolesNetworkChecksTest, CleanClusterPassesEveryCheck) {
  for (const std::string& id : kChecks) {
    const CheckOutcome outcome = Outcome(id, Clean());
    EXPECT_EQ(outcome.status, v1::CHECK_STATUS_PASS) << id << ": " << outcome.detail;
  }
}

TEST(RolesNetworkChecksTest, NothingCollectedIsUnknown) {
  for (const std::string& id : kChecks) {
    EXPECT_EQ(Outcome(id, v1::DatabasePosture()).status, v1::CHECK_STATUS_UNKNOWN) << id;
  }
}

TEST(RolesNetworkChecksTest, LevelsAreAsDesigned) {
  for (const Check& check : CheckCatalog()) {
    if (std::find(kChecks.begin(), kChecks.end(), check.id) == kChecks.end()) continue;
    const bool enterprise = check.id == "roles.only_bootstrap_superuser" || check.id == "roles.no_bypassrls";
    EXPECT_EQ(check.level, enterprise ? v1::MATURITY_LEVEL_ENTERPRISE : v1::MATURITY_LEVEL_PRODUCTION)
        << check.id;
  }
}

TEST(RolesNetworkChecksTest, InteractiveSuperuserSessionFailsNamingWhoAndFromWhere) {
  v1::DatabasePosture posture = Clean();
  posture.mutable_roles()->set_interactive_superuser_sessions(2);
  v1::SessionGroup& group = *posture.mutable_roles()->add_sessions();
  group.set_role("postgres");
  group.set_application_name("psql");
  group.set_superuser(true);
  group.set_interactive(true);
  group.set_count(2);
  const CheckOutcome outcome = Outcome("roles.no_interactive_superuser_sessions", posture);
  EXPECT_EQ(outcome.status, v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(outcome.detail,
            "interactive superuser sessions open: 2 of postgres from \"psql\" at local socket");
}

TEST(RolesNetworkChecksTest, WeakPasswordsFailAndUnreadableKindsAreUnknown) {
  v1::DatabasePosture posture = Clean();
  AddRole(posture, "legacy", v1::PASSWORD_KIND_MD5);
  AddRole(posture, "ancient", v1::PASSWORD_KIND_PLAINTEXT);
  CheckOutcome outcome = Outcome("roles.no_md5_or_plaintext_passwords", posture);
  EXPECT_EQ(outcome.status, v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(outcome.detail, "roles with weak password hashes: legacy (md5), ancient (plaintext)");

  v1::DatabasePosture unreadable = Clean();
  for (v1::Role& role : *unreadable.mutable_roles()->mutable_roles()) {
    role.set_password_kind(v1::PASSWORD_KIND_UNSPECIFIED);
  }
  outcome = Outcome("roles.no_md5_or_plaintext_passwords", unreadable);
  EXPECT_EQ(outcome.status, v1::CHECK_STATUS_UNKNOWN);
  EXPECT_NE(outcome.detail.find("pgposture install"), std::string::npos) << outcome.detail;
}

TEST(RolesNetworkChecksTest, ExtraSuperuserAndBypassrlsFailByName) {
  v1::DatabasePosture posture = Clean();
  AddRole(posture, "admin", v1::PASSWORD_KIND_SCRAM_SHA_256).set_superuser(true);
  AddRole(posture, "etl", v1::PASSWORD_KIND_SCRAM_SHA_256).set_bypassrls(true);
  CheckOutcome outcome = Outcome("roles.only_bootstrap_superuser", posture);
  EXPECT_EQ(outcome.status, v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(outcome.detail, "superusers besides the bootstrap role: admin");
  outcome = Outcome("roles.no_bypassrls", posture);
  EXPECT_EQ(outcome.status, v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(outcome.detail, "roles with BYPASSRLS besides the bootstrap role: etl");
}

TEST(RolesNetworkChecksTest, RiskyHbaRulesFailWithTheirLines) {
  v1::DatabasePosture posture = Clean();
  v1::NetworkFacts& network = *posture.mutable_network();
  network.set_ssl(false);
  network.set_rules_open_to_all(1);
  network.set_remote_trust_rules(1);
  v1::HbaRule& rule = *network.add_hba_rules();
  rule.set_line_number(7);
  rule.set_type("host");
  rule.add_database("all");
  rule.add_user_name("all");
  rule.set_address("0.0.0.0");
  rule.set_netmask("0.0.0.0");
  rule.set_auth_method("trust");
  rule.add_risks(v1::HBA_RISK_OPEN_TO_ALL);
  rule.add_risks(v1::HBA_RISK_REMOTE_TRUST);
  CheckOutcome outcome = Outcome("network.no_remote_trust", posture);
  EXPECT_EQ(outcome.status, v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(outcome.detail, "line 7: host all all 0.0.0.0/0.0.0.0 trust");
  EXPECT_EQ(Outcome("network.no_rule_open_to_all", posture).status, v1::CHECK_STATUS_FAIL);
  outcome = Outcome("network.ssl_on", posture);
  EXPECT_EQ(outcome.status, v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(outcome.detail, "ssl is off");
}

TEST(RolesNetworkChecksTest, UnreadableHbaIsUnknownEvenWithSslKnown) {
  v1::DatabasePosture posture;
  posture.mutable_network()->set_ssl(true);
  const CheckOutcome outcome = Outcome("network.no_remote_trust", posture);
  EXPECT_EQ(outcome.status, v1::CHECK_STATUS_UNKNOWN);
  EXPECT_NE(outcome.detail.find("pgposture install"), std::string::npos) << outcome.detail;
  EXPECT_EQ(Outcome("network.ssl_on", posture).status, v1::CHECK_STATUS_PASS);
}

}  // namespace
}  // namespace pgposture
