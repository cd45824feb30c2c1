#include "collectors/pgaudit/pgaudit_log.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

namespace pgposture {
namespace {

using Classes = std::bitset<v1::PgauditClass_ARRAYSIZE>;

constexpr std::array<std::pair<std::string_view, v1::PgauditClass>, 7> kClassNames{{
    {"read", v1::PGAUDIT_CLASS_READ},
    {"write", v1::PGAUDIT_CLASS_WRITE},
    {"function", v1::PGAUDIT_CLASS_FUNCTION},
    {"role", v1::PGAUDIT_CLASS_ROLE},
    {"ddl", v1::PGAUDIT_CLASS_DDL},
    {"misc", v1::PGAUDIT_CLASS_MISC},
    {"misc_set", v1::PGAUDIT_CLASS_MISC_SET},
}};

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

// The classes one item names, or nullopt when pgaudit would reject it.
std::optional<Classes> ItemClasses(const std::string& name) {
  Classes classes;
  if (name == "none") return classes;
  if (name == "all") {
    for (const auto& entry : kClassNames) classes.set(entry.second);
    return classes;
  }
  for (const auto& entry : kClassNames) {
    if (name == entry.first) return classes.set(entry.second);
  }
  return std::nullopt;
}

}  // namespace

v1::PgauditLogSetting ParsePgauditLog(std::string_view raw) {
  v1::PgauditLogSetting setting;
  setting.set_raw(std::string(raw));
  Classes enabled;
  if (Trim(raw).empty()) return setting;

  std::string_view rest = raw;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view item = Trim(rest.substr(0, comma));
    const bool subtract = !item.empty() && item.front() == '-';
    const std::string name = Lower(Trim(subtract ? item.substr(1) : item));
    const std::optional<Classes> classes = ItemClasses(name);
    if (!classes) {
      setting.add_invalid_items(std::string(item));
    } else if (subtract) {
      enabled &= ~*classes;
    } else {
      enabled |= *classes;
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  for (const auto& entry : kClassNames) {
    if (enabled.test(entry.second)) setting.add_classes(entry.second);
  }
  return setting;
}

bool PreloadsPgaudit(std::string_view shared_preload_libraries) {
  std::string_view rest = shared_preload_libraries;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view library = Trim(rest.substr(0, comma));
    if (library.size() >= 2 && library.front() == '"' && library.back() == '"') {
      library = library.substr(1, library.size() - 2);
    }
    const size_t slash = library.rfind('/');
    if (slash != std::string_view::npos) library.remove_prefix(slash + 1);
    if (library == "pgaudit" || library == "pgaudit.so") return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

bool LogsClass(const v1::PgauditLogSetting& setting, v1::PgauditClass log_class) {
  const auto& classes = setting.classes();
  return std::find(classes.begin(), classes.end(), log_class) != classes.end();
}

}  // namespace pgposture
