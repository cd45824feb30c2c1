// How collectors read `pgposture install`'s functions against a real server:
// guarded until the function shows callable, then direct, and guarded again
// at once when the grant or the install goes.
#include "collectors/guarded_call.h"

#include <gtest/gtest.h>

#include <pqxx/except>

#include "agent/install/installer.h"
#include "collectors/conninfo.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture {
namespace {

using testing::PgCluster;

// The role names pgposture.role_passwords() gives, in the shape the reader
// expects: a `server` row saying whether the function was callable.
std::string BuildRoleNames(CallForm form, const std::string& direct_rows) {
  return "WITH passwords AS (" +
         InstalledFunctionCte(form, "role_passwords", "SELECT role_name FROM pgposture.role_passwords()") +
         ")\nSELECT 'server' AS kind, NULL::text AS a, NULL::text AS b, p.callable::text AS c FROM passwords "
         "p"
         "\nUNION ALL\nSELECT 'role', x.role_name, NULL, NULL FROM " +
         (form == CallForm::kDirect
              ? direct_rows
              : "passwords p, XMLTABLE('/table/row' PASSING p.doc COLUMNS role_name text) AS x") +
         " WHERE x.role_name = 'agent'";
}

const std::string& RoleNames(CallForm form) {
  static const std::string guarded = BuildRoleNames(CallForm::kGuarded, "");
  static const std::string direct = BuildRoleNames(CallForm::kDirect, "pgposture.role_passwords() AS x");
  return form == CallForm::kDirect ? direct : guarded;
}

// A direct form that fails for a reason other than the install.
const std::string& BrokenDirectRoleNames(CallForm form) {
  static const std::string direct =
      BuildRoleNames(CallForm::kDirect, "pgposture.role_passwords() AS x, pg_catalog.pg_class AS x");
  return form == CallForm::kDirect ? direct : RoleNames(form);
}

std::vector<std::string> RowKinds(const TaggedRows& rows) {
  std::vector<std::string> kinds;
  for (const TaggedRow& row : rows) kinds.push_back(row.kind + "=" + row.a.value_or("") + row.c.value_or(""));
  return kinds;
}

class GuardedCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_.Psql("CREATE ROLE agent LOGIN PASSWORD 'agent-pw'");
    Install(SuperuserDsn(), "agent");
    session_ =
        std::make_unique<Session>(AgentConnInfo(cluster_.Dsn("postgres", "agent"), "", "agent-pw", {}));
  }

  std::string SuperuserDsn() const {
    return "host=" + cluster_.dir() + " port=" + std::to_string(cluster_.port()) +
           " dbname=postgres user=postgres";
  }

  // Reads once; returns the round trips it took.
  int ReadCounting(GuardedCallReader& reader, TaggedRows& rows) {
    session_->ResetRoundTrips();
    rows = reader.Read(*session_);
    return session_->round_trips();
  }

  PgCluster cluster_;
  std::unique_ptr<Session> session_;
};

const std::vector<std::string> kCallable = {"server=true", "role=agent"};
const std::vector<std::string> kNotCallable = {"server=false"};

TEST_F(GuardedCallTest, DirectOnceCallableAndGuardedAgainAtOnceWhenTheGrantOrInstallGoes) {
  GuardedCallReader reader(RoleNames);
  TaggedRows rows;
  EXPECT_EQ(reader.statement().sql, RoleNames(CallForm::kGuarded)) << "nothing known yet";
  EXPECT_EQ(ReadCounting(reader, rows), 1);
  EXPECT_EQ(RowKinds(rows), kCallable);
  EXPECT_EQ(reader.statement().sql, RoleNames(CallForm::kDirect));
  EXPECT_EQ(ReadCounting(reader, rows), 1);
  EXPECT_EQ(RowKinds(rows), kCallable) << "both forms read the same rows";

  cluster_.Psql("REVOKE EXECUTE ON FUNCTION pgposture.role_passwords() FROM agent");
  EXPECT_EQ(ReadCounting(reader, rows), 2) << "the direct form failed, the guarded one followed";
  EXPECT_EQ(RowKinds(rows), kNotCallable);
  EXPECT_EQ(reader.statement().sql, RoleNames(CallForm::kGuarded));
  EXPECT_EQ(ReadCounting(reader, rows), 1);
  EXPECT_EQ(RowKinds(rows), kNotCallable);

  cluster_.Psql("GRANT EXECUTE ON FUNCTION pgposture.role_passwords() TO agent");
  EXPECT_EQ(ReadCounting(reader, rows), 1);
  EXPECT_EQ(RowKinds(rows), kCallable);
  EXPECT_EQ(reader.statement().sql, RoleNames(CallForm::kDirect));

  cluster_.Psql("REVOKE USAGE ON SCHEMA pgposture FROM agent");
  EXPECT_EQ(ReadCounting(reader, rows), 2);
  EXPECT_EQ(RowKinds(rows), kNotCallable);
  cluster_.Psql("GRANT USAGE ON SCHEMA pgposture TO agent");
  EXPECT_EQ(ReadCounting(reader, rows), 1);
  EXPECT_EQ(RowKinds(rows), kCallable);

  Uninstall(SuperuserDsn());
  EXPECT_EQ(ReadCounting(reader, rows), 2);
  EXPECT_EQ(RowKinds(rows), kNotCallable);
  EXPECT_EQ(reader.statement().sql, RoleNames(CallForm::kGuarded));
}

TEST_F(GuardedCallTest, OtherFailuresOfTheDirectFormAreNotHidden) {
  GuardedCallReader reader(BrokenDirectRoleNames);
  TaggedRows rows;
  ReadCounting(reader, rows);
  EXPECT_EQ(RowKinds(rows), kCallable);
  EXPECT_THROW(reader.Read(*session_), pqxx::sql_error);
  EXPECT_EQ(reader.statement().sql, BrokenDirectRoleNames(CallForm::kDirect));
}

}  // namespace
}  // namespace pgposture
