#include "collectors/roles/roles_rows.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

// 2024-01-01T00:00:00Z in epoch microseconds.
constexpr const char* kNow = "1704067200000000";

TaggedRows InventoryRows(bool passwords_readable) {
  return {
      {"server", "scram-sha-256", kNow, passwords_readable ? "true" : "false"},
      {"role", "postgres", "superuser,createrole,createdb,replication,bypassrls,login,bootstrap",
       std::nullopt},
      {"role", "app", "login", "1893456000000000"},  // 2030-01-01
      {"role", "old", "login", "1672531200000000"},  // 2023-01-01, expired
      {"role", "readers", "", std::nullopt},
      {"role", "forever", "login", "infinity"},
      {"member", "app", "readers", std::nullopt},
      {"member", "app", "pg_monitor", std::nullopt},
      {"setting", "app", "", "statement_timeout=5s"},
      {"setting", "app", "appdb", "work_mem=64MB"},
      {"password", "postgres", "scram-sha-256", std::nullopt},
      {"password", "app", "md5", std::nullopt},
      {"password", "old", "scram-sha-256", std::nullopt},
      {"password", "readers", "none", std::nullopt},
      {"password", "forever", "plaintext", std::nullopt},
      // The function returns every role; predefined ones stay out.
      {"password", "pg_monitor", "none", std::nullopt},
  };
}

const v1::Role& RoleNamed(const v1::RolesFacts& facts, const std::string& name) {
  for (const v1::Role& role : facts.roles()) {
    if (role.name() == name) return role;
  }
  throw std::runtime_error("no role " + name);
}

TEST(RolesRowsTest, ReadsAttributesMembershipsSettingsAndPasswordKinds) {
  const RolesRead read = ParseRolesRows(InventoryRows(true));
  const v1::RolesFacts& facts = read.facts;
  EXPECT_EQ(facts.password_encryption(), "scram-sha-256");
  EXPECT_EQ(TimeUtil::ToString(read.read_at), "2024-01-01T00:00:00Z");
  ASSERT_EQ(facts.roles_size(), 5);
  EXPECT_EQ(facts.roles(0).name(), "app") << "sorted by name";

  const v1::Role& postgres = RoleNamed(facts, "postgres");
  EXPECT_TRUE(postgres.superuser() && postgres.createrole() && postgres.createdb() &&
              postgres.replication() && postgres.bypassrls() && postgres.login() && postgres.bootstrap());
  EXPECT_FALSE(postgres.has_valid_until());
  EXPECT_EQ(postgres.password_kind(), v1::PASSWORD_KIND_SCRAM_SHA_256);

  const v1::Role& app = RoleNamed(facts, "app");
  EXPECT_TRUE(app.login());
  EXPECT_FALSE(app.superuser() || app.createrole() || app.createdb() || app.replication() ||
               app.bypassrls() || app.bootstrap());
  EXPECT_EQ(app.password_kind(), v1::PASSWORD_KIND_MD5);
  EXPECT_EQ(TimeUtil::ToString(app.valid_until()), "2030-01-01T00:00:00Z");
  EXPECT_EQ(std::vector<std::string>(app.member_of().begin(), app.member_of().end()),
            (std::vector<std::string>{"pg_monitor", "readers"}));
  ASSERT_EQ(app.settings_size(), 2);
  EXPECT_EQ(app.settings(0).database(), "") << "all-database settings first";
  EXPECT_EQ(app.settings(0).name(), "statement_timeout");
  EXPECT_EQ(app.settings(0).value(), "5s");
  EXPECT_EQ(app.settings(1).database(), "appdb");
  EXPECT_EQ(app.settings(1).name(), "work_mem");

  EXPECT_EQ(RoleNamed(facts, "readers").password_kind(), v1::PASSWORD_KIND_NONE);
  EXPECT_FALSE(RoleNamed(facts, "readers").login());
  EXPECT_EQ(RoleNamed(facts, "forever").password_kind(), v1::PASSWORD_KIND_PLAINTEXT);
  EXPECT_FALSE(RoleNamed(facts, "forever").has_valid_until()) << "infinity means never";
}

TEST(RolesRowsTest, CountsExpiredAndNeverExpiringPasswordsOfLoginRoles) {
  const v1::RolesFacts facts = ParseRolesRows(InventoryRows(true)).facts;
  ASSERT_TRUE(facts.has_expired_passwords());
  EXPECT_EQ(facts.expired_passwords(), 1);         // old
  EXPECT_EQ(facts.never_expiring_passwords(), 2);  // postgres, forever; readers cannot log in
}

TEST(RolesRowsTest, UnreadablePasswordKindsStayUnknown) {
  TaggedRows rows = InventoryRows(false);
  rows.erase(
      std::remove_if(rows.begin(), rows.end(), [](const TaggedRow& row) { return row.kind == "password"; }),
      rows.end());
  const v1::RolesFacts facts = ParseRolesRows(rows).facts;
  ASSERT_EQ(facts.roles_size(), 5);
  for (const v1::Role& role : facts.roles()) {
    EXPECT_EQ(role.password_kind(), v1::PASSWORD_KIND_UNSPECIFIED) << role.name();
  }
  EXPECT_FALSE(facts.has_expired_passwords());
  EXPECT_FALSE(facts.has_never_expiring_passwords());
  EXPECT_TRUE(RoleNamed(facts, "app").has_valid_until()) << "expiry comes from pg_roles";
}

TEST(RolesRowsTest, MinusInfinityExpiresForever) {
  const v1::RolesFacts facts = ParseRolesRows({{"server", "md5", kNow, "true"},
                                               {"role", "locked", "login", "-infinity"},
                                               {"password", "locked", "scram-sha-256", std::nullopt}})
                                   .facts;
  EXPECT_EQ(facts.expired_passwords(), 1);
}

TEST(RolesRowsTest, JoinsSessionRowsByKey) {
  const RolesRead read = ParseRolesRows({
      {"server", "scram-sha-256", kNow, "false"},
      {"session", "42:1700000000000000", "app", "web"},
      {"session_client", "42:1700000000000000", "10.0.0.5", "true"},
      {"session", "43:1700000000000001", "postgres", "psql"},
      {"session_client", "43:1700000000000001", std::nullopt, "false"},
  });
  ASSERT_EQ(read.sessions.size(), 2u);
  EXPECT_EQ(read.sessions[0].key, "42:1700000000000000");
  EXPECT_EQ(read.sessions[0].role, "app");
  EXPECT_EQ(read.sessions[0].application_name, "web");
  EXPECT_EQ(read.sessions[0].client_addr, "10.0.0.5");
  EXPECT_TRUE(read.sessions[0].ssl);
  EXPECT_EQ(read.sessions[1].client_addr, "") << "Unix socket";
  EXPECT_FALSE(read.sessions[1].ssl);
}

TEST(RolesRowsTest, PasswordKindNamesRoundTrip) {
  for (v1::PasswordKind kind : {v1::PASSWORD_KIND_NONE, v1::PASSWORD_KIND_MD5,
                                v1::PASSWORD_KIND_SCRAM_SHA_256, v1::PASSWORD_KIND_PLAINTEXT}) {
    EXPECT_EQ(PasswordKindFromName(PasswordKindName(kind)), kind) << PasswordKindName(kind);
  }
  EXPECT_EQ(PasswordKindFromName("scram-sha-256"), v1::PASSWORD_KIND_SCRAM_SHA_256);
  EXPECT_EQ(PasswordKindFromName("SCRAM-SHA-256$4096:..."), v1::PASSWORD_KIND_UNSPECIFIED);
  EXPECT_EQ(PasswordKindFromName(""), v1::PASSWORD_KIND_UNSPECIFIED);
  EXPECT_EQ(PasswordKindName(v1::PASSWORD_KIND_UNSPECIFIED), "unknown");
}

}  // namespace
}  // namespace pgposture
