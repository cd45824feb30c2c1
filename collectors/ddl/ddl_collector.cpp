#include "collectors/ddl/ddl_collector.h"

#include <pqxx/except>

#include "collectors/guarded_call.h"

namespace pgposture {
namespace {

const char* const kCaptureTriggers[] = {"pgposture_ddl_command_end", "pgposture_sql_drop"};

// Whether the capture's tables are here and the agent may read them: until
// they are, this is read instead of them, so a database without the install
// costs no failed statement. Tagged like the read, so that both can go with
// other collectors' statements.
constexpr const char* kProbeQuery = R"SQL(
SELECT 'installed' AS kind, (pg_catalog.count(*) = 3)::text AS a, NULL::text AS b, NULL::text AS c
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'pgposture' AND c.relname IN ('ddl_events', 'history_writes', 'capture_failures')
   AND pg_catalog.has_schema_privilege(n.oid, 'USAGE') AND pg_catalog.has_table_privilege(c.oid, 'SELECT')
)SQL";

// Everything about capture in this database. Events are read by
// transaction, not by id: ids are handed out before commit, so a later
// commit can carry a smaller id. Every event of a transaction whose id is at
// least $1 is read (with `c` saying whether its transaction wrote migration
// history), and the `xmin` row tells the next read where to start:
// transactions below it have all finished, so their events never change.
constexpr const char* kCaptureQuery = R"SQL(
SELECT 'xmin' AS kind, pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot())::text AS a,
       NULL::text AS b, NULL::text AS c
UNION ALL
SELECT 'trigger', evtname::text, evtenabled::text, NULL
  FROM pg_catalog.pg_event_trigger
 WHERE evtname IN ('pgposture_ddl_command_end', 'pgposture_sql_drop')
UNION ALL
SELECT 'failures', CASE WHEN is_called THEN last_value ELSE 0 END::text, NULL, NULL
  FROM pgposture.capture_failures
UNION ALL
SELECT 'event',
       pg_catalog.json_build_object(
         'id', e.id, 'time', e.occurred_at, 'transaction_id', e.transaction_id::text::bigint,
         'command_tag', e.command_tag, 'object_type', e.object_type, 'schema_name', e.schema_name,
         'object_identity', e.object_identity, 'session_user', e.session_user_name,
         'current_user', e.current_user_name, 'application_name', e.application_name,
         'client_addr', pg_catalog.host(e.client_addr), 'backend_pid', e.backend_pid,
         'statement', e.statement, 'change_source', e.change_source,
         'in_extension', e.in_extension, 'temporary', e.is_temporary)::text,
       e.transaction_id::text,
       (EXISTS (SELECT FROM pgposture.history_writes w WHERE w.transaction_id = e.transaction_id))::text
  FROM pgposture.ddl_events e
 WHERE e.transaction_id >= $1::pg_catalog.xid8
)SQL";

}  // namespace

DdlCollector::DdlCollector(const CollectorOptions& options)
    : classifier_(options), history_(options.ddl_window) {}

bool DdlCollector::CaptureInstalled(Session& session) {
  if (!installed_) {
    const TaggedRows probe = session.QueryRows(kProbeQuery);
    installed_ = !probe.empty() && IsTrue(probe.front().a);
  }
  return installed_;
}

TaggedQuery DdlCollector::CaptureQuery() const { return {kCaptureQuery, {std::to_string(history_.since())}}; }

TaggedQuery DdlCollector::FirstQuery() const { return installed_ ? CaptureQuery() : kProbeQuery; }

void FillCaptureHealth(const DdlCaptureRead& read, v1::DdlFacts& facts) {
  bool installed = true;
  bool enabled = true;
  for (const char* name : kCaptureTriggers) {
    const auto trigger = read.triggers.find(name);
    installed &= trigger != read.triggers.end();
    // evtenabled: O origin, R replica, A always, D disabled.
    enabled &= trigger != read.triggers.end() && trigger->second != "D";
  }
  facts.set_capture_installed(installed);
  facts.set_capture_enabled(enabled);
  facts.set_capture_failures(read.failures);
}

void DdlCollector::Collect(Session& session, v1::DatabasePosture& posture) {
  v1::DdlFacts& facts = *posture.mutable_ddl();
  if (!CaptureInstalled(session)) {
    facts.set_capture_installed(false);
    facts.set_capture_enabled(false);
    return;
  }
  DdlCaptureRead read;
  try {
    read = ParseDdlCaptureRows(session.QueryRows(CaptureQuery()));
  } catch (const pqxx::sql_error& error) {
    if (!IsInstallOrGrantGone(error)) throw;
    installed_ = false;
    facts.set_capture_installed(false);
    facts.set_capture_enabled(false);
    return;
  }
  FillCaptureHealth(read, facts);
  history_.Apply(std::move(read), classifier_, std::chrono::system_clock::now());
  history_.Fill(facts);
}

}  // namespace pgposture
