#include <gtest/gtest.h>

#include "collectors/network/hba_risks.h"
#include "collectors/network/network_collector.h"

namespace pgposture {
namespace {

using Risks = std::vector<v1::HbaRisk>;

v1::HbaRule Rule(const std::string& type, const std::string& address, const std::string& netmask,
                 const std::string& auth_method) {
  v1::HbaRule rule;
  rule.set_type(type);
  rule.add_database("all");
  rule.add_user_name("all");
  rule.set_address(address);
  rule.set_netmask(netmask);
  rule.set_auth_method(auth_method);
  return rule;
}

TEST(HbaRisksTest, LocalAddressesAreLoopbackOnly) {
  EXPECT_TRUE(IsLocalAddress("127.0.0.1", "255.255.255.255"));
  EXPECT_TRUE(IsLocalAddress("127.0.0.0", "255.0.0.0"));
  EXPECT_TRUE(IsLocalAddress("127.1.2.3", ""));
  EXPECT_TRUE(IsLocalAddress("::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_TRUE(IsLocalAddress("samehost", ""));
  EXPECT_TRUE(IsLocalAddress("localhost", ""));

  EXPECT_FALSE(IsLocalAddress("127.0.0.0", "0.0.0.0")) << "a /0 around loopback is everything";
  EXPECT_FALSE(IsLocalAddress("127.0.0.0", "254.0.0.0"));
  EXPECT_FALSE(IsLocalAddress("::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:0"));
  EXPECT_FALSE(IsLocalAddress("::", "::"));
  EXPECT_FALSE(IsLocalAddress("10.0.0.0", "255.0.0.0"));
  EXPECT_FALSE(IsLocalAddress("192.168.1.10", "255.255.255.255"));
  EXPECT_FALSE(IsLocalAddress("all", ""));
  EXPECT_FALSE(IsLocalAddress("samenet", ""));
  EXPECT_FALSE(IsLocalAddress("db.example.com", ""));
  EXPECT_FALSE(IsLocalAddress(".example.com", ""));
  EXPECT_FALSE(IsLocalAddress("127.0.0.1", "ffff::")) << "mask of another family";
}

TEST(HbaRisksTest, OpenToAllMeansEveryAddress) {
  EXPECT_TRUE(IsOpenToAll("all", ""));
  EXPECT_TRUE(IsOpenToAll("0.0.0.0", "0.0.0.0"));
  EXPECT_TRUE(IsOpenToAll("::", "::"));
  EXPECT_TRUE(IsOpenToAll("10.0.0.0", "0.0.0.0")) << "the mask decides, not the address";
  EXPECT_FALSE(IsOpenToAll("0.0.0.0", "128.0.0.0"));
  EXPECT_FALSE(IsOpenToAll("10.0.0.0", "255.0.0.0"));
  EXPECT_FALSE(IsOpenToAll("samenet", ""));
  EXPECT_FALSE(IsOpenToAll("", ""));
}

TEST(HbaRisksTest, PrototypeRuleHasEveryRisk) {
  EXPECT_EQ(HbaRisks(Rule("host", "0.0.0.0", "0.0.0.0", "trust")),
            (Risks{v1::HBA_RISK_OPEN_TO_ALL, v1::HBA_RISK_REMOTE_TRUST, v1::HBA_RISK_REMOTE_NON_SSL}));
  EXPECT_EQ(
      HbaRisks(Rule("host", "all", "", "md5")),
      (Risks{v1::HBA_RISK_OPEN_TO_ALL, v1::HBA_RISK_REMOTE_CLEARTEXT_OR_MD5, v1::HBA_RISK_REMOTE_NON_SSL}));
  EXPECT_EQ(HbaRisks(Rule("hostnossl", "10.0.0.0", "255.0.0.0", "password")),
            (Risks{v1::HBA_RISK_REMOTE_CLEARTEXT_OR_MD5, v1::HBA_RISK_REMOTE_NON_SSL}));
}

TEST(HbaRisksTest, ProductionRulesHaveNone) {
  EXPECT_TRUE(HbaRisks(Rule("hostssl", "10.0.0.0", "255.0.0.0", "scram-sha-256")).empty());
  EXPECT_TRUE(HbaRisks(Rule("hostssl", "10.0.0.0", "255.0.0.0", "cert")).empty());
  EXPECT_TRUE(HbaRisks(Rule("hostgssenc", "10.0.0.0", "255.0.0.0", "gss")).empty());
  EXPECT_TRUE(HbaRisks(Rule("local", "", "", "trust")).empty()) << "Unix sockets are local";
  EXPECT_TRUE(HbaRisks(Rule("host", "127.0.0.1", "255.255.255.255", "trust")).empty()) << "loopback";
  EXPECT_TRUE(HbaRisks(Rule("host", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "md5")).empty());
  EXPECT_TRUE(HbaRisks(Rule("host", "0.0.0.0", "0.0.0.0", "reject")).empty()) << "reject lets nobody in";
}

TEST(HbaRisksTest, SslRequiredButOpenToAllIsOnlyOpen) {
  EXPECT_EQ(HbaRisks(Rule("hostssl", "::", "::", "scram-sha-256")), (Risks{v1::HBA_RISK_OPEN_TO_ALL}));
  EXPECT_EQ(HbaRisks(Rule("hostssl", "0.0.0.0", "0.0.0.0", "trust")),
            (Risks{v1::HBA_RISK_OPEN_TO_ALL, v1::HBA_RISK_REMOTE_TRUST}));
}

TEST(HbaRisksTest, NonSslTypesForRemoteHosts) {
  EXPECT_EQ(HbaRisks(Rule("host", "samenet", "", "scram-sha-256")), (Risks{v1::HBA_RISK_REMOTE_NON_SSL}));
  EXPECT_EQ(HbaRisks(Rule("hostnogssenc", "db.example.com", "", "scram-sha-256")),
            (Risks{v1::HBA_RISK_REMOTE_NON_SSL}));
}

TEST(HbaRisksTest, UnparsableLineHasNoRisks) {
  v1::HbaRule rule;
  rule.set_line_number(9);
  rule.set_error("invalid authentication method \"trusted\"");
  EXPECT_TRUE(HbaRisks(rule).empty());
}

TEST(NetworkRowsTest, ReadsRulesInOrderWithRisksAndCounts) {
  v1::NetworkFacts facts;
  HbaRulesRead last_read;
  ParseNetworkRows(
      {
          {"server", "*", "off", "true"},
          {"connections", "4", "3", std::nullopt},
          {"hba_read", "1700000000000001", "true", std::nullopt},
          {"hba", "2", "auth_method", "trust"},
          {"hba", "2", "database", "all"},
          {"hba", "2", "type", "local"},
          {"hba", "2", "user_name", "all"},
          {"hba", "7", "address", "0.0.0.0"},
          {"hba", "7", "auth_method", "trust"},
          {"hba", "7", "database", "app"},
          {"hba", "7", "database", "app,staging"},
          {"hba", "7", "netmask", "0.0.0.0"},
          {"hba", "7", "type", "host"},
          {"hba", "7", "user_name", "alice"},
          {"hba", "9", "error", "invalid authentication method \"trusted\""},
          {"hba", "12", "address", "10.0.0.0"},
          {"hba", "12", "auth_method", "md5"},
          {"hba", "12", "netmask", "255.0.0.0"},
          {"hba", "12", "type", "hostssl"},
      },
      last_read, facts);
  EXPECT_EQ(facts.listen_addresses(), "*");
  ASSERT_TRUE(facts.has_ssl());
  EXPECT_FALSE(facts.ssl());
  EXPECT_EQ(facts.client_connections(), 4);
  EXPECT_EQ(facts.client_connections_without_ssl(), 3);
  ASSERT_EQ(facts.hba_rules_size(), 4);
  const v1::HbaRule& open = facts.hba_rules(1);
  EXPECT_EQ(open.line_number(), 7);
  EXPECT_EQ(open.type(), "host");
  EXPECT_EQ(std::vector<std::string>(open.database().begin(), open.database().end()),
            (std::vector<std::string>{"app", "app,staging"}));
  EXPECT_EQ(open.user_name(0), "alice");
  EXPECT_EQ(open.risks_size(), 3);
  EXPECT_EQ(facts.hba_rules(2).line_number(), 9) << "numeric order, not text order";
  EXPECT_FALSE(facts.hba_rules(2).error().empty());
  EXPECT_EQ(facts.hba_rules(3).line_number(), 12);
  EXPECT_EQ(facts.rules_open_to_all(), 1);
  EXPECT_EQ(facts.remote_trust_rules(), 1);
  EXPECT_EQ(facts.remote_cleartext_or_md5_rules(), 1);
  EXPECT_EQ(facts.remote_non_ssl_rules(), 1);
  EXPECT_EQ(last_read.conf_loaded_at, "1700000000000001");
  ASSERT_EQ(last_read.rules.size(), 4u);
  EXPECT_EQ(last_read.rules[1].risks_size(), 3);
}

// The server has not loaded its configuration since the last read: the rules
// are those read then, with their risks and counts. Once it has, the rows
// hold the rules again and replace them.
TEST(NetworkRowsTest, RulesNotReadAgainAreTheLastOnes) {
  HbaRulesRead last_read;
  v1::NetworkFacts first;
  ParseNetworkRows({{"server", "*", "on", "true"},
                    {"hba_read", "100", "true", std::nullopt},
                    {"hba", "3", "type", "host"},
                    {"hba", "3", "address", "0.0.0.0"},
                    {"hba", "3", "netmask", "0.0.0.0"},
                    {"hba", "3", "auth_method", "trust"}},
                   last_read, first);

  v1::NetworkFacts kept;
  ParseNetworkRows({{"server", "*", "on", "true"}, {"hba_read", "100", "false", std::nullopt}}, last_read,
                   kept);
  ASSERT_EQ(kept.hba_rules_size(), 1);
  EXPECT_EQ(kept.hba_rules(0).line_number(), 3);
  EXPECT_EQ(kept.hba_rules(0).auth_method(), "trust");
  EXPECT_EQ(kept.hba_rules(0).risks_size(), 3);
  EXPECT_EQ(kept.rules_open_to_all(), 1);
  EXPECT_EQ(kept.remote_trust_rules(), 1);
  EXPECT_EQ(last_read.conf_loaded_at, "100");

  v1::NetworkFacts reloaded;
  ParseNetworkRows({{"server", "*", "on", "true"},
                    {"hba_read", "200", "true", std::nullopt},
                    {"hba", "1", "type", "local"},
                    {"hba", "1", "auth_method", "peer"}},
                   last_read, reloaded);
  ASSERT_EQ(reloaded.hba_rules_size(), 1);
  EXPECT_EQ(reloaded.hba_rules(0).type(), "local");
  EXPECT_EQ(reloaded.rules_open_to_all(), 0);
  EXPECT_EQ(last_read.conf_loaded_at, "200");

  v1::NetworkFacts unreadable;
  ParseNetworkRows({{"server", "*", "on", "false"}}, last_read, unreadable);
  EXPECT_EQ(unreadable.hba_rules_size(), 0);
  EXPECT_FALSE(unreadable.has_rules_open_to_all());
  EXPECT_TRUE(last_read.conf_loaded_at.empty()) << "the next read reads the file";
  EXPECT_TRUE(last_read.rules.empty());
}

TEST(NetworkRowsTest, UnreadableRulesLeaveCountsUnknown) {
  v1::NetworkFacts facts;
  HbaRulesRead last_read;
  ParseNetworkRows({{"server", "localhost", "on", "false"}, {"connections", "0", "0", std::nullopt}},
                   last_read, facts);
  EXPECT_TRUE(facts.ssl());
  EXPECT_EQ(facts.hba_rules_size(), 0);
  EXPECT_FALSE(facts.has_rules_open_to_all());
  EXPECT_FALSE(facts.has_remote_trust_rules());
  EXPECT_FALSE(facts.has_remote_cleartext_or_md5_rules());
  EXPECT_FALSE(facts.has_remote_non_ssl_rules());
  ASSERT_TRUE(facts.has_client_connections());
  EXPECT_EQ(facts.client_connections(), 0);
}

TEST(NetworkRowsTest, ReadableButEmptyRulesCountZero) {
  v1::NetworkFacts facts;
  HbaRulesRead last_read;
  ParseNetworkRows({{"server", "*", "on", "true"}, {"hba_read", "100", "true", std::nullopt}}, last_read,
                   facts);
  ASSERT_TRUE(facts.has_remote_trust_rules());
  EXPECT_EQ(facts.remote_trust_rules(), 0);
}

}  // namespace
}  // namespace pgposture
