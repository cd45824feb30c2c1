#include "collectors/network/network_collector.h"

#include <map>

#include "collectors/guarded_call.h"
#include "collectors/network/hba_risks.h"

namespace pgposture {
namespace {

// pg_hba_file_rules needs `pgposture install`'s function. Either form of the
// statement gives one row per field of a rule and per item of its lists, in
// order, so the rules keep to the (kind, a, b, c) shape. The direct form
// unions the fields laterally; the guarded one reads query_to_xml's rendering
// (an array as one <element> per item) with XMLTABLE. The query inside
// query_to_xml is planned again on every call, so it is a bare call:
// unnesting the arrays there cost more than the rest of the part.
//
// The server parses pg_hba.conf at every read of pg_hba_file_rules, a third
// of this part's time, and a fifth of a one-database cluster's. The direct
// form reads the file only when the session has loaded the configuration
// since the read whose load time is $1; its `hba_read` row says whether it
// did. The server applies an edit of the file only when it reloads it, so
// the rules kept in between are those in force. The guarded form reads the
// file every time.
constexpr const char* kConfLoadedAt = "pg_catalog.pg_conf_load_time()";
std::string DirectHbaRows() {
  const std::string loaded_at = EpochMicrosSql(kConfLoadedAt);
  return R"SQL(
SELECT 'hba_read', )SQL" +
         loaded_at + ", (" + loaded_at + R"SQL( IS DISTINCT FROM $1)::text, NULL
UNION ALL
SELECT 'hba', r.line_number::text, f.field, f.value
  FROM pgposture.hba_rules() AS r
 CROSS JOIN LATERAL (
         SELECT 'type', r.type UNION ALL SELECT 'address', r.address
         UNION ALL SELECT 'netmask', r.netmask UNION ALL SELECT 'auth_method', r.auth_method
         UNION ALL SELECT 'error', r.error
         UNION ALL SELECT 'database', d.item FROM pg_catalog.unnest(r.database) AS d(item)
         UNION ALL SELECT 'user_name', u.item FROM pg_catalog.unnest(r.user_name) AS u(item)
       ) AS f(field, value)
 WHERE f.value IS NOT NULL AND )SQL" +
         loaded_at + R"SQL( IS DISTINCT FROM $1
)SQL";
}

std::string GuardedHbaRows() {
  return R"SQL(
SELECT 'hba_read', )SQL" +
         EpochMicrosSql(kConfLoadedAt) + R"SQL(, 'true', NULL
UNION ALL
SELECT 'hba', x.line_number::text, x.field, x.value
  FROM hba h,
       XMLTABLE('/table/row/*[not(self::line_number)]/descendant-or-self::*[not(*)]' PASSING h.doc
                COLUMNS line_number integer PATH 'ancestor::row/line_number',
                        field text PATH 'local-name(ancestor-or-self::*[parent::row])',
                        value text PATH '.') AS x
)SQL";
}

// Connections are counted from pg_stat_get_activity(NULL), the function
// under pg_stat_activity and pg_stat_ssl, called once.
std::string BuildQuery(CallForm form) {
  return R"SQL(
WITH hba AS (
  )SQL" + InstalledFunctionCte(form, "hba_rules", R"SQL(
    SELECT line_number, type, database, user_name, address, netmask, auth_method, error
      FROM pgposture.hba_rules())SQL") +
         R"SQL(
)
SELECT 'server' AS kind, pg_catalog.current_setting('listen_addresses') AS a,
       pg_catalog.current_setting('ssl') AS b, h.callable::text AS c
  FROM hba h
UNION ALL
SELECT 'connections', pg_catalog.count(*)::text,
       pg_catalog.count(*) FILTER (WHERE a.client_addr IS NOT NULL AND NOT coalesce(a.ssl, false))::text, NULL
  FROM pg_catalog.pg_stat_get_activity(NULL) AS a
 WHERE a.backend_type = 'client backend' AND a.application_name <> 'pgposture'
UNION ALL)SQL" +
         (form == CallForm::kDirect ? DirectHbaRows() : GuardedHbaRows());
}

int32_t ToInt32(const std::optional<std::string>& text) {
  return static_cast<int32_t>(Int64Column(text).value_or(0));
}

void SetField(v1::HbaRule& rule, const std::string& field, const std::string& value) {
  if (field == "type") rule.set_type(value);
  if (field == "address") rule.set_address(value);
  if (field == "netmask") rule.set_netmask(value);
  if (field == "auth_method") rule.set_auth_method(value);
  if (field == "error") rule.set_error(value);
  if (field == "database") rule.add_database(value);
  if (field == "user_name") rule.add_user_name(value);
}

void CountRisks(v1::NetworkFacts& facts) {
  std::map<v1::HbaRisk, int32_t> counts;
  for (const v1::HbaRule& rule : facts.hba_rules()) {
    for (int risk : rule.risks()) ++counts[static_cast<v1::HbaRisk>(risk)];
  }
  facts.set_rules_open_to_all(counts[v1::HBA_RISK_OPEN_TO_ALL]);
  facts.set_remote_trust_rules(counts[v1::HBA_RISK_REMOTE_TRUST]);
  facts.set_remote_cleartext_or_md5_rules(counts[v1::HBA_RISK_REMOTE_CLEARTEXT_OR_MD5]);
  facts.set_remote_non_ssl_rules(counts[v1::HBA_RISK_REMOTE_NON_SSL]);
}

}  // namespace

void ParseNetworkRows(const TaggedRows& rows, HbaRulesRead& last_read, v1::NetworkFacts& facts) {
  bool hba_readable = false;
  bool rules_in_rows = false;
  std::string conf_loaded_at;
  std::map<int32_t, v1::HbaRule> rules;
  for (const TaggedRow& row : rows) {
    if (row.kind == "server") {
      facts.set_listen_addresses(row.a.value_or(""));
      if (row.b) facts.set_ssl(*row.b == "on");
      hba_readable = IsTrue(row.c);
    } else if (row.kind == "connections") {
      facts.set_client_connections(ToInt32(row.a));
      facts.set_client_connections_without_ssl(ToInt32(row.b));
    } else if (row.kind == "hba_read") {
      conf_loaded_at = row.a.value_or("");
      rules_in_rows = IsTrue(row.b);
    } else if (row.kind == "hba") {
      v1::HbaRule& rule = rules[ToInt32(row.a)];
      rule.set_line_number(ToInt32(row.a));
      SetField(rule, row.b.value_or(""), row.c.value_or(""));
    }
  }
  if (!hba_readable) {
    last_read = {};
    return;
  }
  if (rules_in_rows) {
    last_read = {conf_loaded_at, {}};
    for (auto& [line, rule] : rules) {
      for (v1::HbaRisk risk : HbaRisks(rule)) rule.add_risks(risk);
      last_read.rules.push_back(std::move(rule));
    }
  }
  for (const v1::HbaRule& rule : last_read.rules) *facts.add_hba_rules() = rule;
  CountRisks(facts);
}

NetworkCollector::NetworkCollector() : hba_(BuiltOnce<BuildQuery>) {}

TaggedQuery NetworkCollector::FirstQuery() const { return hba_.statement({last_read_.conf_loaded_at}); }

void NetworkCollector::Collect(Session& session, v1::DatabasePosture& posture) {
  ParseNetworkRows(hba_.Read(session, {last_read_.conf_loaded_at}), last_read_, *posture.mutable_network());
}

}  // namespace pgposture
