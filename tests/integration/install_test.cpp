// `pgposture install` / `uninstall` against a real cluster: idempotent,
// refused without a superuser, least privilege for the agent.
#include <gtest/gtest.h>

#include <map>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "agent/install/install_sql.h"
#include "agent/install/installer.h"
#include "collectors/migrations/migration_tools.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture {
namespace {

using testing::PgCluster;

constexpr const char* kPassword = "role-pw";
constexpr const char* kCaptureRelations[] = {"pgposture.ddl_events", "pgposture.history_writes",
                                             "pgposture.capture_failures"};

// Everything install creates or grants, as text: the schema and its ACL,
// every object in it with owner, ACL and definition (functions with their
// body, settings and SECURITY DEFINER), event triggers, the agent role's
// memberships and the installation row. Equal fingerprints mean nothing
// changed.
constexpr const char* kFingerprint = R"SQL(
SELECT concat_ws(E'\n',
  (SELECT format('%s owner=%s acl=%s', n.nspname, n.nspowner::regrole, n.nspacl)
     FROM pg_namespace n WHERE n.nspname = 'pgposture'),
  (SELECT string_agg(format('%s %s owner=%s acl=%s', c.relname, c.relkind, c.relowner::regrole, c.relacl),
                     E'\n' ORDER BY c.relname)
     FROM pg_class c WHERE c.relnamespace = 'pgposture'::regnamespace),
  (SELECT string_agg(format('%s owner=%s acl=%s definer=%s config=%s def=%s', p.oid::regprocedure,
                            p.proowner::regrole, p.proacl, p.prosecdef, p.proconfig, pg_get_functiondef(p.oid)),
                     E'\n' ORDER BY p.oid::regprocedure::text)
     FROM pg_proc p WHERE p.pronamespace = 'pgposture'::regnamespace),
  (SELECT string_agg(format('%s %s %s %s', e.evtname, e.evtevent, e.evtenabled, e.evtfoid::regproc),
                     E'\n' ORDER BY e.evtname)
     FROM pg_event_trigger e),
  (SELECT string_agg(format('%s admin=%s', m.roleid::regrole, m.admin_option), ', '
                     ORDER BY m.roleid::regrole::text)
     FROM pg_auth_members m WHERE m.member = 'agent'::regrole),
  (SELECT i::text FROM pgposture.installation i))
)SQL";

class InstallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_.Psql(std::string("CREATE ROLE agent LOGIN PASSWORD '") + kPassword + "'");
    cluster_.Psql(std::string("CREATE ROLE mallory LOGIN PASSWORD '") + kPassword + "'");
  }

  // A connection as `user`, over TCP with a password (scram in the default
  // pg_hba.conf), as the agent would connect.
  std::unique_ptr<pqxx::connection> ConnectAs(const std::string& user) const {
    return std::make_unique<pqxx::connection>(cluster_.Dsn("postgres", user) + " password=" + kPassword);
  }

  bool SchemaExists() const {
    return cluster_.PsqlValue("SELECT to_regnamespace('pgposture') IS NOT NULL") == "t";
  }

  PgCluster cluster_;
};

TEST_F(InstallTest, InstallTwiceIsANoOpAndUninstallRemovesEverything) {
  const InstallResult first = Install(cluster_.Dsn(), "agent");
  EXPECT_EQ(first.previous_version, 0);
  EXPECT_EQ(first.version, kInstallVersion);
  const std::string installed = cluster_.PsqlValue(kFingerprint);
  // Owned by the installer, SECURITY DEFINER, search_path pinned, EXECUTE
  // for the agent only (no PUBLIC entry in the ACL).
  for (const char* function : {"role_passwords", "hba_rules"}) {
    const std::string expected = std::string("pgposture.") + function +
                                 "() owner=postgres acl={postgres=X/postgres,agent=X/postgres} definer=t "
                                 "config={\"search_path=pg_catalog, pg_temp\"}";
    EXPECT_NE(installed.find(expected), std::string::npos) << expected << " missing from:\n" << installed;
  }

  const InstallResult second = Install(cluster_.Dsn(), "agent");
  EXPECT_EQ(second.previous_version, kInstallVersion);
  EXPECT_EQ(cluster_.PsqlValue(kFingerprint), installed) << "the second install changed something";

  const UninstallResult removed = Uninstall(cluster_.Dsn());
  EXPECT_TRUE(removed.removed);
  EXPECT_FALSE(SchemaExists());
  EXPECT_EQ(
      cluster_.PsqlValue("SELECT count(*) FROM pg_proc WHERE proname IN ('role_passwords', 'hba_rules')"),
      "0");
  EXPECT_EQ(cluster_.PsqlValue("SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'pgposture%'"), "0");
  EXPECT_FALSE(Uninstall(cluster_.Dsn()).removed) << "uninstall twice is fine too";
}

// Version 1 had the agent read the capture through a function; an upgrade
// drops it and lets the agent read the tables.
TEST_F(InstallTest, UpgradeFromVersion1ReplacesTheCaptureReadingFunction) {
  Install(cluster_.Dsn(), "agent");
  cluster_.Psql(
      "CREATE FUNCTION pgposture.ddl_capture(since xid8) RETURNS TABLE (kind text, a text, b text, c text) "
      "LANGUAGE sql AS 'SELECT NULL::text, NULL::text, NULL::text, NULL::text'");
  cluster_.Psql(
      "REVOKE SELECT ON pgposture.ddl_events, pgposture.history_writes, pgposture.capture_failures "
      "FROM agent");
  cluster_.Psql("UPDATE pgposture.installation SET version = 1");

  const InstallResult upgrade = Install(cluster_.Dsn(), "agent");
  EXPECT_EQ(upgrade.previous_version, 1);
  EXPECT_EQ(upgrade.version, kInstallVersion);
  EXPECT_EQ(cluster_.PsqlValue("SELECT to_regprocedure('pgposture.ddl_capture(xid8)') IS NULL"), "t");
  auto agent = ConnectAs("agent");
  pqxx::nontransaction as_agent(*agent);
  for (const char* relation : kCaptureRelations) {
    EXPECT_NO_THROW(as_agent.exec(std::string("SELECT * FROM ") + relation)) << relation;
  }
}

TEST_F(InstallTest, RefusedForANonSuperuserWithAClearMessage) {
  try {
    Install(cluster_.Dsn("postgres", "mallory") + " password=" + kPassword, "agent");
    FAIL() << "install by a non-superuser was accepted";
  } catch (const InstallError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("install needs a superuser"), std::string::npos) << message;
    EXPECT_NE(message.find("\"mallory\""), std::string::npos) << message;
    EXPECT_NE(message.find("connect as one"), std::string::npos) << message;
  }
  EXPECT_FALSE(SchemaExists());
}

TEST_F(InstallTest, AgentRoleReadsWithoutSuperuserAndOthersCannot) {
  cluster_.Psql("SET password_encryption = 'md5'; CREATE ROLE legacy LOGIN PASSWORD 'legacy-pw'");
  Install(cluster_.Dsn(), "agent");
  EXPECT_EQ(cluster_.PsqlValue("SELECT rolsuper FROM pg_roles WHERE rolname = 'agent'"), "f");
  EXPECT_EQ(cluster_.PsqlValue("SELECT proowner::regrole FROM pg_proc WHERE proname = 'role_passwords'"),
            "postgres")
      << "owned by the installer";

  auto agent = ConnectAs("agent");
  pqxx::nontransaction as_agent(*agent);
  std::map<std::string, std::string> kinds;
  for (const pqxx::row& row : as_agent.exec("SELECT * FROM pgposture.role_passwords()")) {
    ASSERT_EQ(row.size(), 3u) << "name, kind and expiry only";
    kinds[row[0].c_str()] = row[1].c_str();
  }
  EXPECT_EQ(kinds["legacy"], "md5");
  EXPECT_EQ(kinds["agent"], "scram-sha-256");
  EXPECT_EQ(kinds["postgres"], "none");
  const pqxx::result rules = as_agent.exec("SELECT * FROM pgposture.hba_rules() ORDER BY line_number");
  ASSERT_FALSE(rules.empty());
  EXPECT_EQ(std::string(rules[0]["type"].c_str()), "local");

  // What the DDL capture recorded, the agent reads itself.
  for (const char* relation : kCaptureRelations) {
    EXPECT_NO_THROW(as_agent.exec(std::string("SELECT * FROM ") + relation)) << relation;
  }

  auto plain = ConnectAs("mallory");
  std::vector<std::string> readers = {"pgposture.role_passwords()", "pgposture.hba_rules()"};
  readers.insert(readers.end(), std::begin(kCaptureRelations), std::end(kCaptureRelations));
  for (const std::string& reader : readers) {
    pqxx::nontransaction as_plain(*plain);
    try {
      as_plain.exec("SELECT * FROM " + reader);
      ADD_FAILURE() << "a plain role read " << reader;
    } catch (const pqxx::insufficient_privilege& error) {
      EXPECT_NE(std::string(error.what()).find("permission denied"), std::string::npos) << error.what();
    }
  }
}

// The event triggers call a transaction a migration when it writes a
// history table; the tables they know are kept in SQL, and must be those
// the migrations collector reads, or one tool's migrations would alert as
// out-of-band DDL.
TEST_F(InstallTest, HistoryTablesAreThoseOfTheMigrationTools) {
  Install(cluster_.Dsn(), "agent");
  std::set<std::string> tables;
  for (const MigrationTool& tool : MigrationTools()) {
    tables.insert(std::string(tool.schema != nullptr ? tool.schema : "") + "." + tool.table);
  }
  std::string expected;
  for (const std::string& table : tables) expected += (expected.empty() ? "" : ",") + table;
  EXPECT_EQ(
      cluster_.PsqlValue("SELECT string_agg(schema_name || '.' || table_name, ',' ORDER BY "
                         "schema_name || '.' || table_name COLLATE \"C\") FROM pgposture.history_tables"),
      expected);
}

}  // namespace
}  // namespace pgposture
