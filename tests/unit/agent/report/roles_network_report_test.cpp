// The roles and network lines of the text report.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "agent/report/text_report.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

std::string Render(const v1::DatabasePosture& posture) {
  v1::CheckReport report;
  *report.add_databases() = posture;
  return RenderText(report);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RolesNetworkReportTest, SummarizesRolesSessionsChangesAndNetwork) {
  v1::DatabasePosture posture;
  v1::RolesFacts& roles = *posture.mutable_roles();
  roles.set_password_encryption("scram-sha-256");
  v1::Role& postgres = *roles.add_roles();
  postgres.set_name("postgres");
  postgres.set_superuser(true);
  postgres.set_bypassrls(true);
  postgres.set_password_kind(v1::PASSWORD_KIND_NONE);
  v1::Role& legacy = *roles.add_roles();
  legacy.set_name("legacy");
  legacy.set_password_kind(v1::PASSWORD_KIND_MD5);
  v1::SessionGroup& group = *roles.add_sessions();
  group.set_count(3);
  group.set_without_ssl(2);
  roles.set_interactive_superuser_sessions(1);
  roles.set_interactive_superuser_sessions_seen(4);
  v1::RoleChangeEvent& change = *roles.add_recent_changes();
  *change.mutable_first_seen_at() = TimeUtil::SecondsToTimestamp(1704067200);
  change.set_role("admin");
  change.set_change(v1::ROLE_CHANGE_KIND_ATTRIBUTES);
  change.set_detail("+superuser");
  v1::NetworkFacts& network = *posture.mutable_network();
  network.set_listen_addresses("*");
  network.set_ssl(false);
  network.set_client_connections(3);
  network.set_client_connections_without_ssl(2);
  network.add_hba_rules();
  network.set_rules_open_to_all(1);
  network.set_remote_trust_rules(1);
  network.set_remote_cleartext_or_md5_rules(0);
  network.set_remote_non_ssl_rules(1);

  const std::string text = Render(posture);
  EXPECT_TRUE(Contains(text,
                       "  roles: 2; superusers: postgres; bypassrls: postgres; password_encryption "
                       "scram-sha-256; md5/plaintext passwords: legacy\n"))
      << text;
  EXPECT_TRUE(Contains(
      text, "    sessions: 3 (2 over TCP without SSL), interactive superuser 1 now, 4 seen since start\n"))
      << text;
  EXPECT_TRUE(Contains(text, "    role change 2024-01-01T00:00:00Z: admin attributes +superuser\n")) << text;
  EXPECT_TRUE(Contains(
      text, "  network: listen_addresses '*', ssl off, client connections 3 (2 over TCP without SSL)\n"))
      << text;
  EXPECT_TRUE(
      Contains(text,
               "    pg_hba.conf: 1 rules, open to all 1, remote trust 1, remote password/md5 0, remote "
               "without SSL 1\n"))
      << text;
}

TEST(RolesNetworkReportTest, SaysWhatIsUnknown) {
  v1::DatabasePosture posture;
  std::string text = Render(posture);
  EXPECT_TRUE(Contains(text, "  roles: not collected\n")) << text;
  EXPECT_TRUE(Contains(text, "  network: not collected\n")) << text;

  posture.mutable_roles()->add_roles()->set_name("postgres");
  posture.mutable_network()->set_ssl(true);
  text = Render(posture);
  EXPECT_TRUE(Contains(text, "md5/plaintext passwords: unknown\n")) << text;
  EXPECT_TRUE(Contains(text, "    pg_hba.conf: unreadable (run pgposture install)\n")) << text;
}

}  // namespace
}  // namespace pgposture
