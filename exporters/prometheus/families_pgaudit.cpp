// pgaudit: loaded and configured (cluster), created and covering every login
// role (database).
#include <algorithm>

#include "exporters/prometheus/families.h"

namespace pgposture {
namespace {

using prometheus::MetricType;

constexpr FamilySpec kLoaded{
    "pgposture_pgaudit_loaded", MetricType::Gauge,
    "1 when pgaudit is in shared_preload_libraries of the target's cluster, 0 when not."};
constexpr FamilySpec kClassEnabled{
    "pgposture_pgaudit_log_class_enabled", MetricType::Gauge,
    "1 when the server-wide pgaudit.log enables the statement class, after all and -class are applied."};
constexpr FamilySpec kInvalidItems{
    "pgposture_pgaudit_log_invalid_items", MetricType::Gauge,
    "Items of the server-wide pgaudit.log that pgaudit rejects; 0 when valid."};
constexpr FamilySpec kSettingEnabled{"pgposture_pgaudit_setting_enabled", MetricType::Gauge,
                                     "1 when the server-wide pgaudit boolean setting is on, 0 when off."};
constexpr FamilySpec kSettingsInfo{"pgposture_pgaudit_settings_info", MetricType::Gauge,
                                   "Server-wide pgaudit.log_level and pgaudit.role as labels; always 1."};
constexpr FamilySpec kExtension{"pgposture_pgaudit_extension_created", MetricType::Gauge,
                                "1 when the pgaudit extension is created in the database, 0 when not."};
constexpr FamilySpec kEventTriggers{
    "pgposture_pgaudit_event_triggers_enabled", MetricType::Gauge,
    "1 when pgaudit's own event triggers exist and are enabled in the database, 0 when not."};
constexpr FamilySpec kOverrides{
    "pgposture_pgaudit_overrides", MetricType::Gauge,
    "pgaudit.* values set with ALTER ROLE or ALTER DATABASE that apply in the database."};
constexpr FamilySpec kAgentOverrides{
    "pgposture_pgaudit_agent_role_has_overrides", MetricType::Gauge,
    "1 when the agent's own role carries pgaudit overrides, so the settings it reads may differ from other "
    "sessions'."};
constexpr FamilySpec kLoginRoles{"pgposture_pgaudit_login_roles", MetricType::Gauge,
                                 "Login roles whose pgaudit coverage in the database was evaluated."};
constexpr FamilySpec kUnaudited{
    "pgposture_pgaudit_unaudited_login_roles", MetricType::Gauge,
    "Login roles whose statements of the class are not audited in the database (effective pgaudit.log)."};
constexpr FamilySpec kCoverageUnknown{
    "pgposture_pgaudit_coverage_unknown_login_roles", MetricType::Gauge,
    "Login roles whose effective pgaudit.log in the database could not be determined."};

constexpr LabelledField<v1::PgauditSettings, bool> kBooleanSettings[] = {
    {"log_catalog", &v1::PgauditSettings::has_log_catalog, &v1::PgauditSettings::log_catalog},
    {"log_parameter", &v1::PgauditSettings::has_log_parameter, &v1::PgauditSettings::log_parameter},
    {"log_relation", &v1::PgauditSettings::has_log_relation, &v1::PgauditSettings::log_relation},
    {"log_client", &v1::PgauditSettings::has_log_client, &v1::PgauditSettings::log_client},
};

void AddLogClasses(const v1::PgauditLogSetting& log, const Labels& labels, Families& out) {
  for (int number = v1::PgauditClass_MIN; number <= v1::PgauditClass_MAX; ++number) {
    if (number == v1::PGAUDIT_CLASS_UNSPECIFIED || !v1::PgauditClass_IsValid(number)) continue;
    const bool enabled = std::find(log.classes().begin(), log.classes().end(), number) != log.classes().end();
    out.Add(kClassEnabled, labels, {{"class", EnumLabel(static_cast<v1::PgauditClass>(number))}},
            Flag(enabled));
  }
  out.Add(kInvalidItems, labels, log.invalid_items_size());
}

}  // namespace

void AddPgauditClusterFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out) {
  const v1::PgauditFacts& pgaudit = facts.pgaudit();
  if (pgaudit.has_loaded()) out.Add(kLoaded, labels, Flag(pgaudit.loaded()));
  if (!pgaudit.has_settings()) return;
  const v1::PgauditSettings& settings = pgaudit.settings();
  if (settings.has_log()) AddLogClasses(settings.log(), labels, out);
  AddLabelledFields(kSettingEnabled, "setting", kBooleanSettings, settings, labels, out);
  if (!settings.log_level().empty()) {
    out.Add(kSettingsInfo, labels, {{"log_level", settings.log_level()}, {"pgaudit_role", settings.role()}},
            1);
  }
}

void AddPgauditDatabaseFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out) {
  const v1::PgauditFacts& pgaudit = facts.pgaudit();
  // The database collector always sets extension_created: without it,
  // nothing of this area was read.
  if (!pgaudit.has_extension_created()) return;
  out.Add(kExtension, labels, Flag(pgaudit.extension_created()));
  if (pgaudit.has_event_triggers_enabled()) {
    out.Add(kEventTriggers, labels, Flag(pgaudit.event_triggers_enabled()));
  }
  if (pgaudit.has_agent_role_has_overrides()) {
    out.Add(kAgentOverrides, labels, Flag(pgaudit.agent_role_has_overrides()));
  }
  out.Add(kOverrides, labels, pgaudit.overrides_size());

  int ddl = 0, role = 0, write = 0, unknown = 0;
  for (const v1::PgauditRoleCoverage& coverage : pgaudit.coverage()) {
    if (coverage.source() == v1::PGAUDIT_SOURCE_UNSPECIFIED) {
      ++unknown;
      continue;
    }
    ddl += coverage.ddl_audited() ? 0 : 1;
    role += coverage.role_audited() ? 0 : 1;
    write += coverage.write_audited() ? 0 : 1;
  }
  out.Add(kLoginRoles, labels, pgaudit.coverage_size());
  out.Add(kUnaudited, labels, {{"class", "ddl"}}, ddl);
  out.Add(kUnaudited, labels, {{"class", "role"}}, role);
  out.Add(kUnaudited, labels, {{"class", "write"}}, write);
  out.Add(kCoverageUnknown, labels, unknown);
}

}  // namespace pgposture
