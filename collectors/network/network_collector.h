// Cluster-wide network exposure: listen_addresses, ssl, pg_hba.conf rules
// and their risks, client connections without SSL.
#pragma once

#include <string>
#include <vector>

#include "collectors/collector.h"
#include "collectors/guarded_call.h"
#include "collectors/tagged_rows.h"

namespace pgposture {

/// The pg_hba.conf rules as last read, with their risks, and when the
/// session had last loaded the configuration then (pg_conf_load_time() in
/// epoch microseconds; empty before the first read).
struct HbaRulesRead {
  std::string conf_loaded_at;
  std::vector<v1::HbaRule> rules;
};

/// Keeps, across cycles, how to read the hba rules and the rules last read.
class NetworkCollector : public Collector {
 public:
  NetworkCollector();
  const char* name() const override { return "network"; }
  Scope scope() const override { return Scope::kCluster; }
  TaggedQuery FirstQuery() const override;
  void Collect(Session& session, v1::DatabasePosture& posture) override;

 private:
  GuardedCallReader hba_;
  HbaRulesRead last_read_;
};

/// Pure part. Row kinds:
///   server      (listen_addresses, ssl, hba rules readable)
///   connections (client sessions, those over TCP without SSL, -)
///   hba_read    (configuration load time, whether the hba rows are there:
///               false when the rules were not read again, being those of
///               `last_read`)
///   hba         (line number, field, value): one row per field of a rule;
///               `database` and `user_name` once per item, in order
/// Rules read are kept in `last_read`. Without readable hba rules the rules
/// stay empty, their counts unset and `last_read` empty.
void ParseNetworkRows(const TaggedRows& rows, HbaRulesRead& last_read, v1::NetworkFacts& facts);

}  // namespace pgposture
