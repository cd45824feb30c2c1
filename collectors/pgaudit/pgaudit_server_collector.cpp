#include "collectors/pgaudit/pgaudit_server_collector.h"

#include "collectors/pgaudit/pgaudit_log.h"

namespace pgposture {
namespace {

// current_setting() reads one variable without scanning pg_settings. What
// the agent's session sees is the server's value unless ALTER ROLE (for the
// agent's role) or ALTER DATABASE (for the database it is connected to)
// overrides it; `c` says so, and such a value is reported as unknown rather
// than passed off as the server's.
constexpr const char* kQuery = R"SQL(
SELECT 'setting' AS kind, n.name AS a, pg_catalog.current_setting(n.name, true) AS b,
       EXISTS (
         SELECT 1
           FROM pg_catalog.pg_db_role_setting s
          CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) AS cfg
          WHERE pg_catalog.split_part(cfg, '=', 1) = n.name
            AND ((s.setrole = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = session_user)
                  AND s.setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database
                                             WHERE datname = pg_catalog.current_database())))
              OR (s.setrole = 0
                  AND s.setdatabase = (SELECT oid FROM pg_catalog.pg_database
                                        WHERE datname = pg_catalog.current_database())))
       )::text AS c
  FROM pg_catalog.unnest(ARRAY['shared_preload_libraries', 'pgaudit.log', 'pgaudit.log_catalog',
                               'pgaudit.log_parameter', 'pgaudit.log_relation',
                               'pgaudit.log_client', 'pgaudit.log_level', 'pgaudit.role'])
       AS n(name)
)SQL";

}  // namespace

void ParsePgauditServerRows(const TaggedRows& rows, v1::PgauditFacts& facts) {
  v1::PgauditSettings& settings = *facts.mutable_settings();
  bool loaded = false;
  for (const TaggedRow& row : rows) {
    if (row.kind != "setting" || !row.a) continue;
    const std::string& name = *row.a;
    if (name == "shared_preload_libraries") {
      loaded = PreloadsPgaudit(row.b.value_or(""));
      continue;
    }
    if (!row.b || IsTrue(row.c)) continue;  // unset or overridden: unknown
    const std::string& value = *row.b;
    if (name == "pgaudit.log") {
      *settings.mutable_log() = ParsePgauditLog(value);
    } else if (name == "pgaudit.log_catalog") {
      settings.set_log_catalog(value == "on");
    } else if (name == "pgaudit.log_parameter") {
      settings.set_log_parameter(value == "on");
    } else if (name == "pgaudit.log_relation") {
      settings.set_log_relation(value == "on");
    } else if (name == "pgaudit.log_client") {
      settings.set_log_client(value == "on");
    } else if (name == "pgaudit.log_level") {
      settings.set_log_level(value);
    } else if (name == "pgaudit.role") {
      settings.set_role(value);
    }
  }
  facts.set_loaded(loaded);
  // Without the library the pgaudit.* names are inert placeholders.
  if (!loaded) facts.clear_settings();
}

TaggedQuery PgauditServerCollector::FirstQuery() const { return kQuery; }

void PgauditServerCollector::Collect(Session& session, v1::DatabasePosture& posture) {
  ParsePgauditServerRows(session.QueryRows(kQuery), *posture.mutable_pgaudit());
}

}  // namespace pgposture
