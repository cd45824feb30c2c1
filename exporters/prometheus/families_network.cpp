// Network exposure: SSL, risky pg_hba rules, client connections without SSL.
// Cluster-scoped.
#include "exporters/prometheus/families.h"

namespace pgposture {
namespace {

using prometheus::MetricType;

constexpr FamilySpec kSsl{"pgposture_ssl_enabled", MetricType::Gauge,
                          "1 when the server accepts SSL connections (ssl = on), 0 when not."};
constexpr FamilySpec kListen{"pgposture_listen_addresses_info", MetricType::Gauge,
                             "The server's listen_addresses as a label; always 1."};
constexpr FamilySpec kHbaRules{"pgposture_hba_rules", MetricType::Gauge, "Rules in pg_hba.conf."};
constexpr FamilySpec kRiskyRules{
    "pgposture_hba_risky_rules", MetricType::Gauge,
    "pg_hba.conf rules by risk: open_to_all (any address), remote_trust, remote_cleartext_or_md5, "
    "remote_non_ssl (host rules that allow connections without SSL)."};
constexpr FamilySpec kConnections{"pgposture_client_connections", MetricType::Gauge,
                                  "Client connections open at the latest collection."};
constexpr FamilySpec kWithoutSsl{"pgposture_client_connections_without_ssl", MetricType::Gauge,
                                 "Client connections without SSL open at the latest collection."};

constexpr LabelledField<v1::NetworkFacts, int32_t> kRisks[] = {
    {"open_to_all", &v1::NetworkFacts::has_rules_open_to_all, &v1::NetworkFacts::rules_open_to_all},
    {"remote_trust", &v1::NetworkFacts::has_remote_trust_rules, &v1::NetworkFacts::remote_trust_rules},
    {"remote_cleartext_or_md5", &v1::NetworkFacts::has_remote_cleartext_or_md5_rules,
     &v1::NetworkFacts::remote_cleartext_or_md5_rules},
    {"remote_non_ssl", &v1::NetworkFacts::has_remote_non_ssl_rules, &v1::NetworkFacts::remote_non_ssl_rules},
};

}  // namespace

void AddNetworkFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out) {
  if (!facts.has_network()) return;
  const v1::NetworkFacts& network = facts.network();
  if (network.has_ssl()) out.Add(kSsl, labels, Flag(network.ssl()));
  if (!network.listen_addresses().empty()) {
    out.Add(kListen, labels, {{"listen_addresses", network.listen_addresses()}}, 1);
  }
  // The risk counts are set once pg_hba.conf was read; the rule list alone
  // cannot tell an empty file from an unreadable one.
  if (AddLabelledFields(kRiskyRules, "risk", kRisks, network, labels, out)) {
    out.Add(kHbaRules, labels, network.hba_rules_size());
  }
  if (network.has_client_connections()) out.Add(kConnections, labels, network.client_connections());
  if (network.has_client_connections_without_ssl()) {
    out.Add(kWithoutSsl, labels, network.client_connections_without_ssl());
  }
}

}  // namespace pgposture
