// Network checks: SSL on, and no pg_hba.conf rule that lets anyone in or
// lets every address try.
#include <string>

#include "agent/eval/checks_area.h"

namespace pgposture {
namespace {

bool HasRisk(const v1::HbaRule& rule, v1::HbaRisk risk) {
  for (int held : rule.risks()) {
    if (held == risk) return true;
  }
  return false;
}

std::string Joined(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text.append(text.empty() ? "" : ",").append(item);
  return text;
}

// As written in pg_hba.conf, e.g. "line 7: host all all 0.0.0.0/0.0.0.0 trust".
std::string RuleText(const v1::HbaRule& rule) {
  std::string address = rule.address();
  if (!rule.netmask().empty()) address += "/" + rule.netmask();
  return "line " + std::to_string(rule.line_number()) + ": " + rule.type() + " " + Joined(rule.database()) +
         " " + Joined(rule.user_name()) + " " + address + " " + rule.auth_method();
}

// Fails with the rules carrying `risk`; `has_count` tells whether the rules
// were read at all.
CheckOutcome NoRuleWith(const v1::NetworkFacts& network, bool has_count, v1::HbaRisk risk) {
  if (!has_count) {
    return Unknown(
        "pg_hba.conf rules unreadable (run pgposture install in the agent's first database, which "
        "grants EXECUTE on pgposture.hba_rules())");
  }
  std::string rules;
  for (const v1::HbaRule& rule : network.hba_rules()) {
    if (HasRisk(rule, risk)) rules += (rules.empty() ? "" : "; ") + RuleText(rule);
  }
  return rules.empty() ? Pass() : Fail(rules);
}

}  // namespace

void AddNetworkChecks(std::vector<Check>& checks) {
  checks.push_back({"network.ssl_on", "the server accepts SSL connections (ssl = on)", v1::SEVERITY_CRITICAL,
                    v1::MATURITY_LEVEL_PRODUCTION,
                    "install a certificate and key (ssl_cert_file, ssl_key_file), set ssl = on and "
                    "reload; then require SSL with hostssl rules in pg_hba.conf",
                    [](const v1::DatabasePosture& p) {
                      if (!p.network().has_ssl()) return Unknown("network facts were not collected");
                      return p.network().ssl() ? Pass() : Fail("ssl is off");
                    }});
  checks.push_back({"network.no_remote_trust", "no pg_hba.conf rule trusts remote hosts",
                    v1::SEVERITY_CRITICAL, v1::MATURITY_LEVEL_PRODUCTION,
                    "replace trust with scram-sha-256 (or cert) in the listed pg_hba.conf lines, keep "
                    "trust for local sockets only, and reload (SELECT pg_reload_conf())",
                    [](const v1::DatabasePosture& p) {
                      return NoRuleWith(p.network(), p.network().has_remote_trust_rules(),
                                        v1::HBA_RISK_REMOTE_TRUST);
                    }});
  checks.push_back({"network.no_rule_open_to_all", "no pg_hba.conf rule accepts every client address",
                    v1::SEVERITY_WARNING, v1::MATURITY_LEVEL_PRODUCTION,
                    "narrow the listed pg_hba.conf lines to the networks that need access (application "
                    "subnets, a bastion host) instead of all / 0.0.0.0/0 / ::/0, and reload",
                    [](const v1::DatabasePosture& p) {
                      return NoRuleWith(p.network(), p.network().has_rules_open_to_all(),
                                        v1::HBA_RISK_OPEN_TO_ALL);
                    }});
}

}  // namespace pgposture
