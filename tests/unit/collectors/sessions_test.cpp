#include "collectors/roles/sessions.h"

#include <gtest/gtest.h>

#include "agent/config/config.h"

namespace pgposture {
namespace {

v1::RolesFacts TwoRoles() {
  v1::RolesFacts facts;
  v1::Role& postgres = *facts.add_roles();
  postgres.set_name("postgres");
  postgres.set_superuser(true);
  facts.add_roles()->set_name("app");
  return facts;
}

SessionRow Session(std::string key, std::string role, std::string application, std::string client = "",
                   bool ssl = false) {
  return {std::move(key), std::move(role), std::move(application), std::move(client), ssl};
}

const InteractiveClients& Defaults() {
  static const InteractiveClients clients(Policy().interactive_application_names);
  return clients;
}

TEST(InteractiveClientsTest, DefaultsKnowPromptsIdesAndDashboards) {
  for (const char* name : {"psql", "pgcli", "pgAdmin 4 - DB:app", "pgAdmin 4 - CONN:1234567",
                           "DBeaver 23.1.0 - Main <app>", "DataGrip 2023.2.1", "TablePlus", "Postico 2",
                           "postgres-meta 0.75.0", "supabase/dashboard-sql-editor"}) {
    EXPECT_TRUE(Defaults().Matches(name)) << name;
  }
  for (const char* name :
       {"", "pgposture", "web", "PostgREST 11.2.0", "psql-wrapper", "my psql", "flyway", "pg_dump"}) {
    EXPECT_FALSE(Defaults().Matches(name)) << name;
  }
}

TEST(InteractiveClientsTest, SearchesConfiguredPatternsAnywhere) {
  const InteractiveClients clients({"console", "^retool$"});
  EXPECT_TRUE(clients.Matches("admin-console v2"));
  EXPECT_TRUE(clients.Matches("retool"));
  EXPECT_FALSE(clients.Matches("retool-worker"));
  EXPECT_FALSE(InteractiveClients({}).Matches("psql")) << "no patterns: nothing is interactive";
}

TEST(GroupSessionsTest, GroupsByRoleApplicationAndClient) {
  v1::RolesFacts facts = TwoRoles();
  const std::vector<std::string> keys = GroupSessions(
      {
          Session("1:1", "app", "web", "10.0.0.5", true),
          Session("2:2", "app", "web", "10.0.0.5", false),
          Session("3:3", "app", "web", "10.0.0.6", false),
          Session("4:4", "app", "psql"),
          Session("5:5", "postgres", "psql"),
          Session("6:6", "postgres", "psql", "10.0.0.7", true),
          Session("7:7", "postgres", "backup-job", "127.0.0.1", false),
      },
      Defaults(), facts);
  ASSERT_EQ(facts.sessions_size(), 6);
  // Sorted by role, application, client; "" (Unix socket) first.
  const v1::SessionGroup& web = facts.sessions(1);
  EXPECT_EQ(web.role(), "app");
  EXPECT_EQ(web.application_name(), "web");
  EXPECT_EQ(web.client_addr(), "10.0.0.5");
  EXPECT_EQ(web.count(), 2);
  EXPECT_EQ(web.without_ssl(), 1);
  EXPECT_FALSE(web.superuser());
  EXPECT_FALSE(web.interactive());

  const v1::SessionGroup& app_psql = facts.sessions(0);
  EXPECT_EQ(app_psql.application_name(), "psql");
  EXPECT_TRUE(app_psql.interactive());
  EXPECT_FALSE(app_psql.superuser()) << "interactive, but not a superuser";
  EXPECT_EQ(app_psql.without_ssl(), 0) << "a Unix socket cannot use SSL";

  const v1::SessionGroup& backup = facts.sessions(3);
  EXPECT_EQ(backup.application_name(), "backup-job");
  EXPECT_TRUE(backup.superuser());
  EXPECT_FALSE(backup.interactive());
  EXPECT_EQ(backup.without_ssl(), 1) << "loopback TCP without SSL counts";

  EXPECT_EQ(facts.interactive_superuser_sessions(), 2);
  EXPECT_EQ(keys, (std::vector<std::string>{"5:5", "6:6"}));
}

TEST(GroupSessionsTest, NoSessionsIsZeroNotUnknown) {
  v1::RolesFacts facts = TwoRoles();
  EXPECT_TRUE(GroupSessions({}, Defaults(), facts).empty());
  EXPECT_EQ(facts.sessions_size(), 0);
  ASSERT_TRUE(facts.has_interactive_superuser_sessions());
  EXPECT_EQ(facts.interactive_superuser_sessions(), 0);
}

TEST(DistinctSessionCounterTest, CountsEachSessionOnceWhileItLasts) {
  DistinctSessionCounter counter;
  const std::vector<SessionRow> both = {Session("10:100", "postgres", "psql"),
                                        Session("11:110", "app", "web")};
  counter.Observe({"10:100"}, both);
  EXPECT_EQ(counter.total(), 1);
  counter.Observe({"10:100"}, both);
  EXPECT_EQ(counter.total(), 1) << "seen again in the next cycle";

  // The session renames itself out of and back into the pattern: still one.
  counter.Observe({}, both);
  counter.Observe({"10:100"}, both);
  EXPECT_EQ(counter.total(), 1);

  // A new backend reusing pid 10 is another session.
  const std::vector<SessionRow> reused = {Session("10:200", "postgres", "psql")};
  counter.Observe({"10:200"}, reused);
  EXPECT_EQ(counter.total(), 2);

  counter.Observe({"12:300", "13:300"},
                  {Session("12:300", "postgres", "psql"), Session("13:300", "postgres", "DataGrip")});
  EXPECT_EQ(counter.total(), 4);
}

}  // namespace
}  // namespace pgposture
