#include "collectors/roles/sessions.h"

#include <map>
#include <tuple>

namespace pgposture {

InteractiveClients::InteractiveClients(const std::vector<std::string>& patterns) {
  patterns_.reserve(patterns.size());
  for (const std::string& pattern : patterns) patterns_.emplace_back(pattern, std::regex::ECMAScript);
}

bool InteractiveClients::Matches(const std::string& application_name) const {
  for (const std::regex& pattern : patterns_) {
    if (std::regex_search(application_name, pattern)) return true;
  }
  return false;
}

std::vector<std::string> GroupSessions(const std::vector<SessionRow>& sessions,
                                       const InteractiveClients& interactive, v1::RolesFacts& facts) {
  std::set<std::string> superusers;
  for (const v1::Role& role : facts.roles()) {
    if (role.superuser()) superusers.insert(role.name());
  }
  std::map<std::tuple<std::string, std::string, std::string>, v1::SessionGroup> groups;
  std::vector<std::string> interactive_superuser_keys;
  for (const SessionRow& session : sessions) {
    v1::SessionGroup& group = groups[{session.role, session.application_name, session.client_addr}];
    if (group.count() == 0) {
      group.set_role(session.role);
      group.set_application_name(session.application_name);
      group.set_client_addr(session.client_addr);
      group.set_superuser(superusers.count(session.role) > 0);
      group.set_interactive(interactive.Matches(session.application_name));
    }
    group.set_count(group.count() + 1);
    if (!session.client_addr.empty() && !session.ssl) group.set_without_ssl(group.without_ssl() + 1);
    if (group.superuser() && group.interactive()) interactive_superuser_keys.push_back(session.key);
  }
  facts.clear_sessions();
  for (auto& [key, group] : groups) *facts.add_sessions() = std::move(group);
  facts.set_interactive_superuser_sessions(static_cast<int32_t>(interactive_superuser_keys.size()));
  return interactive_superuser_keys;
}

void DistinctSessionCounter::Observe(const std::vector<std::string>& matching,
                                     const std::vector<SessionRow>& present) {
  std::set<std::string> alive;
  for (const SessionRow& session : present) alive.insert(session.key);
  for (auto it = counted_.begin(); it != counted_.end();) {
    it = alive.count(*it) ? std::next(it) : counted_.erase(it);
  }
  for (const std::string& key : matching) {
    if (counted_.insert(key).second) ++total_;
  }
}

}  // namespace pgposture
