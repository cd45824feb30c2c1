// Cluster-wide network exposure: listen_addresses, ssl, pg_hba.conf rules
// and their risks, client connections without SSL.
#pragma once

#include "collectors/collector.h"
#include "collectors/guarded_call.h"
#include "collectors/tagged_rows.h"

namespace pgposture {

/// Keeps, across cycles, how to read the hba rules.
class NetworkCollector : public Collector {
 public:
  NetworkCollector();
  const char* name() const override { return "network"; }
  Scope scope() const override { return Scope::kCluster; }
  TaggedQuery FirstQuery() const override;
  void Collect(Session& session, v1::DatabasePosture& posture) override;

 private:
  GuardedCallReader hba_;
};

/// Pure part. Row kinds:
///   server      (listen_addresses, ssl, hba rules readable)
///   connections (client sessions, those over TCP without SSL, -)
///   hba         (line number, field, value): one row per field of a rule;
///               `database` and `user_name` once per item, in order
/// Without readable hba rules the rules stay empty and their counts unset.
void ParseNetworkRows(const TaggedRows& rows, v1::NetworkFacts& facts);

}  // namespace pgposture
