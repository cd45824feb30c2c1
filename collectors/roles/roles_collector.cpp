#include "collectors/roles/roles_collector.h"

#include "collectors/guarded_call.h"
#include "collectors/roles/roles_rows.h"

namespace pgposture {
namespace {

// Role rows come from pg_roles, readable by every role, so the inventory and
// expiry are known without `pgposture install`; only password kinds need its
// function. VALID UNTIL 'infinity' comes as NULL (never), '-infinity' as
// itself. Sessions are keyed by pid and backend start; the agent's own are
// left out. pg_stat_activity and pg_stat_ssl are both views over
// pg_stat_get_activity(NULL), joined with the catalogs for names: one call,
// and names from pg_get_userbyid's cache instead of joins, give the server
// fewer plan nodes to start and run at every cycle.
std::string BuildQuery(CallForm form) {
  const std::string password_rows =
      form == CallForm::kDirect
          ? "pgposture.role_passwords() AS x"
          : "passwords p,\n       XMLTABLE('/table/row' PASSING p.doc COLUMNS role_name text, "
            "password_kind text) AS x";
  return R"SQL(
WITH passwords AS (
  )SQL" +
         InstalledFunctionCte(form, "role_passwords",
                              "SELECT role_name, password_kind FROM pgposture.role_passwords()") +
         R"SQL(
), sessions AS (
  SELECT a.pid::text || ':' || )SQL" +
         EpochMicrosSql("a.backend_start") + R"SQL( AS key,
         pg_catalog.pg_get_userbyid(a.usesysid)::text AS role, a.application_name,
         pg_catalog.host(a.client_addr) AS client_addr, coalesce(a.ssl, false) AS ssl
    FROM pg_catalog.pg_stat_get_activity(NULL) AS a
   WHERE a.backend_type = 'client backend' AND a.application_name <> 'pgposture'
)
SELECT 'server' AS kind, pg_catalog.current_setting('password_encryption') AS a,
       )SQL" +
         EpochMicrosSql("pg_catalog.now()") + R"SQL( AS b,
       p.callable::text AS c
  FROM passwords p
UNION ALL
SELECT 'role', r.rolname::text,
       pg_catalog.concat_ws(',', CASE WHEN r.rolsuper THEN 'superuser' END,
                            CASE WHEN r.rolcreaterole THEN 'createrole' END,
                            CASE WHEN r.rolcreatedb THEN 'createdb' END,
                            CASE WHEN r.rolreplication THEN 'replication' END,
                            CASE WHEN r.rolbypassrls THEN 'bypassrls' END,
                            CASE WHEN r.rolcanlogin THEN 'login' END,
                            CASE WHEN r.oid = 10 THEN 'bootstrap' END),
       CASE WHEN r.rolvaliduntil = '-infinity' THEN '-infinity'
            ELSE )SQL" +
         EpochMicrosSql("r.rolvaliduntil") + R"SQL( END
  FROM pg_catalog.pg_roles r
 WHERE r.rolname !~ '^pg_'
UNION ALL
SELECT 'member', pg_catalog.pg_get_userbyid(am.member)::text, pg_catalog.pg_get_userbyid(am.roleid)::text, NULL
  FROM pg_catalog.pg_auth_members am
 WHERE pg_catalog.pg_get_userbyid(am.member) !~ '^pg_'
UNION ALL
SELECT 'setting', r.rolname::text, coalesce(d.datname::text, ''), cfg
  FROM pg_catalog.pg_db_role_setting s
  JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
  LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase
 CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) AS cfg
UNION ALL
SELECT 'password', x.role_name, x.password_kind, NULL
  FROM )SQL" +
         password_rows + R"SQL(
UNION ALL
SELECT 'session', s.key, s.role, s.application_name FROM sessions s
UNION ALL
SELECT 'session_client', s.key, s.client_addr, s.ssl::text FROM sessions s
)SQL";
}

}  // namespace

RolesCollector::RolesCollector(const CollectorOptions& options)
    : interactive_(options.interactive_application_names), passwords_(BuiltOnce<BuildQuery>) {}

TaggedQuery RolesCollector::FirstQuery() const { return passwords_.statement(); }

void RolesCollector::Collect(Session& session, v1::DatabasePosture& posture) {
  RolesRead read = ParseRolesRows(passwords_.Read(session));
  v1::RolesFacts& facts = *posture.mutable_roles();
  facts = std::move(read.facts);

  const std::vector<std::string> keys = GroupSessions(read.sessions, interactive_, facts);
  interactive_superuser_sessions_.Observe(keys, read.sessions);
  facts.set_interactive_superuser_sessions_seen(interactive_superuser_sessions_.total());

  if (previous_roles_) {
    std::vector<v1::RoleChangeEvent> changes = DiffRoles(*previous_roles_, facts.roles(), read.read_at);
    recent_changes_.insert(recent_changes_.begin(), changes.begin(), changes.end());
    if (recent_changes_.size() > kMaxRecentChanges) recent_changes_.resize(kMaxRecentChanges);
  }
  previous_roles_ = facts.roles();
  for (const v1::RoleChangeEvent& change : recent_changes_) *facts.add_recent_changes() = change;
}

}  // namespace pgposture
