#include "collectors/roles/role_diff.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

v1::Role Role(const std::string& name) {
  v1::Role role;
  role.set_name(name);
  role.set_login(true);
  role.set_password_kind(v1::PASSWORD_KIND_SCRAM_SHA_256);
  return role;
}

RoleList List(std::initializer_list<v1::Role> roles) {
  RoleList list;
  for (const v1::Role& role : roles) *list.Add() = role;
  return list;
}

google::protobuf::Timestamp SeenAt() { return TimeUtil::SecondsToTimestamp(1704067200); }

std::vector<v1::RoleChangeEvent> Diff(const v1::Role& before, const v1::Role& after) {
  return DiffRoles(List({before}), List({after}), SeenAt());
}

TEST(RoleDiffTest, SameInventoryHasNoChanges) {
  v1::Role app = Role("app");
  app.add_member_of("readers");
  app.add_settings()->set_name("work_mem");
  EXPECT_TRUE(DiffRoles(List({app, Role("b")}), List({app, Role("b")}), SeenAt()).empty());
}

TEST(RoleDiffTest, CreatedAndDroppedRoles) {
  v1::Role admin = Role("admin");
  admin.set_superuser(true);
  const auto events = DiffRoles(List({Role("app"), Role("gone")}), List({Role("app"), admin}), SeenAt());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].role(), "admin");
  EXPECT_EQ(events[0].change(), v1::ROLE_CHANGE_KIND_CREATED);
  EXPECT_EQ(events[0].detail(), "+login, +superuser");
  EXPECT_EQ(TimeUtil::ToString(events[0].first_seen_at()), "2024-01-01T00:00:00Z");
  EXPECT_EQ(events[1].role(), "gone");
  EXPECT_EQ(events[1].change(), v1::ROLE_CHANGE_KIND_DROPPED);
}

TEST(RoleDiffTest, AttributeChanges) {
  v1::Role after = Role("app");
  after.set_superuser(true);
  after.set_login(false);
  const auto events = Diff(Role("app"), after);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].change(), v1::ROLE_CHANGE_KIND_ATTRIBUTES);
  EXPECT_EQ(events[0].detail(), "+superuser, -login");
}

TEST(RoleDiffTest, EachChangedKindIsOneEvent) {
  v1::Role before = Role("app");
  before.add_member_of("readers");
  v1::RoleSetting& timeout = *before.add_settings();
  timeout.set_name("statement_timeout");
  timeout.set_value("5s");
  v1::Role after = Role("app");
  after.add_member_of("writers");
  v1::RoleSetting& longer = *after.add_settings();
  longer.set_name("statement_timeout");
  longer.set_value("1h");
  v1::RoleSetting& in_db = *after.add_settings();
  in_db.set_database("appdb");
  in_db.set_name("work_mem");
  in_db.set_value("64MB");
  after.set_password_kind(v1::PASSWORD_KIND_MD5);
  *after.mutable_valid_until() = TimeUtil::SecondsToTimestamp(1893456000);

  const auto events = Diff(before, after);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].change(), v1::ROLE_CHANGE_KIND_MEMBERSHIP);
  EXPECT_EQ(events[0].detail(), "+writers, -readers");
  EXPECT_EQ(events[1].change(), v1::ROLE_CHANGE_KIND_SETTINGS);
  EXPECT_EQ(events[1].detail(),
            "+statement_timeout=1h, +work_mem=64MB in database appdb, -statement_timeout=5s");
  EXPECT_EQ(events[2].change(), v1::ROLE_CHANGE_KIND_PASSWORD);
  EXPECT_EQ(events[2].detail(), "scram-sha-256 -> md5");
  EXPECT_EQ(events[3].change(), v1::ROLE_CHANGE_KIND_EXPIRY);
  EXPECT_EQ(events[3].detail(), "never -> 2030-01-01T00:00:00Z");
  for (const auto& event : events) EXPECT_EQ(event.role(), "app");
}

TEST(RoleDiffTest, UnknownPasswordKindsAreNotChanges) {
  v1::Role unknown = Role("app");
  unknown.set_password_kind(v1::PASSWORD_KIND_UNSPECIFIED);
  EXPECT_TRUE(Diff(Role("app"), unknown).empty()) << "the install was removed";
  EXPECT_TRUE(Diff(unknown, Role("app")).empty()) << "the install was added";
}

TEST(RoleDiffTest, PasswordRemovedIsAChange) {
  v1::Role without = Role("app");
  without.set_password_kind(v1::PASSWORD_KIND_NONE);
  const auto events = Diff(Role("app"), without);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].detail(), "scram-sha-256 -> none");
}

}  // namespace
}  // namespace pgposture
