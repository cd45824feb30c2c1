#include "collectors/roles/role_diff.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>
#include <string>

#include "collectors/roles/roles_rows.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

std::vector<std::string> Attributes(const v1::Role& role) {
  std::vector<std::string> names;
  const std::pair<bool, const char*> attributes[] = {
      {role.superuser(), "superuser"},     {role.createrole(), "createrole"}, {role.createdb(), "createdb"},
      {role.replication(), "replication"}, {role.bypassrls(), "bypassrls"},   {role.login(), "login"},
  };
  for (const auto& [set, name] : attributes) {
    if (set) names.emplace_back(name);
  }
  return names;
}

std::vector<std::string> Settings(const v1::Role& role) {
  std::vector<std::string> settings;
  for (const v1::RoleSetting& setting : role.settings()) {
    std::string text = setting.name() + "=" + setting.value();
    if (!setting.database().empty()) text += " in database " + setting.database();
    settings.push_back(std::move(text));
  }
  return settings;
}

std::vector<std::string> Items(const google::protobuf::RepeatedPtrField<std::string>& items) {
  return {items.begin(), items.end()};
}

// "+added, -removed", empty when both hold the same items.
std::string Delta(std::vector<std::string> before, std::vector<std::string> after) {
  std::sort(before.begin(), before.end());
  std::sort(after.begin(), after.end());
  std::string text;
  const auto append = [&text](char sign, const std::string& item) {
    text.append(text.empty() ? "" : ", ").append(1, sign).append(item);
  };
  for (const std::string& item : after) {
    if (!std::binary_search(before.begin(), before.end(), item)) append('+', item);
  }
  for (const std::string& item : before) {
    if (!std::binary_search(after.begin(), after.end(), item)) append('-', item);
  }
  return text;
}

std::string Expiry(const v1::Role& role) {
  return role.has_valid_until() ? TimeUtil::ToString(role.valid_until()) : "never";
}

class EventList {
 public:
  explicit EventList(const google::protobuf::Timestamp& seen_at) : seen_at_(seen_at) {}

  void Add(const std::string& role, v1::RoleChangeKind change, std::string detail) {
    v1::RoleChangeEvent& event = events_.emplace_back();
    *event.mutable_first_seen_at() = seen_at_;
    event.set_role(role);
    event.set_change(change);
    event.set_detail(std::move(detail));
  }
  void AddIfChanged(const std::string& role, v1::RoleChangeKind change, std::string detail) {
    if (!detail.empty()) Add(role, change, std::move(detail));
  }

  std::vector<v1::RoleChangeEvent> Take() { return std::move(events_); }

 private:
  google::protobuf::Timestamp seen_at_;
  std::vector<v1::RoleChangeEvent> events_;
};

void DiffRole(const v1::Role& before, const v1::Role& after, EventList& events) {
  const std::string& name = after.name();
  events.AddIfChanged(name, v1::ROLE_CHANGE_KIND_ATTRIBUTES, Delta(Attributes(before), Attributes(after)));
  events.AddIfChanged(name, v1::ROLE_CHANGE_KIND_MEMBERSHIP,
                      Delta(Items(before.member_of()), Items(after.member_of())));
  events.AddIfChanged(name, v1::ROLE_CHANGE_KIND_SETTINGS, Delta(Settings(before), Settings(after)));
  const bool kinds_known = before.password_kind() != v1::PASSWORD_KIND_UNSPECIFIED &&
                           after.password_kind() != v1::PASSWORD_KIND_UNSPECIFIED;
  if (kinds_known && before.password_kind() != after.password_kind()) {
    events.Add(name, v1::ROLE_CHANGE_KIND_PASSWORD,
               PasswordKindName(before.password_kind()) + " -> " + PasswordKindName(after.password_kind()));
  }
  if (Expiry(before) != Expiry(after)) {
    events.Add(name, v1::ROLE_CHANGE_KIND_EXPIRY, Expiry(before) + " -> " + Expiry(after));
  }
}

}  // namespace

std::vector<v1::RoleChangeEvent> DiffRoles(const RoleList& before, const RoleList& after,
                                           const google::protobuf::Timestamp& seen_at) {
  std::map<std::string, std::pair<const v1::Role*, const v1::Role*>> by_name;
  for (const v1::Role& role : before) by_name[role.name()].first = &role;
  for (const v1::Role& role : after) by_name[role.name()].second = &role;
  EventList events(seen_at);
  for (const auto& [name, pair] : by_name) {
    const auto& [old_role, new_role] = pair;
    if (!old_role) {
      events.Add(name, v1::ROLE_CHANGE_KIND_CREATED, Delta({}, Attributes(*new_role)));
    } else if (!new_role) {
      events.Add(name, v1::ROLE_CHANGE_KIND_DROPPED, "");
    } else {
      DiffRole(*old_role, *new_role, events);
    }
  }
  return events.Take();
}

}  // namespace pgposture
