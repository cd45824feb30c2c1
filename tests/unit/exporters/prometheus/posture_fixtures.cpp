#include "tests/unit/exporters/prometheus/posture_fixtures.h"

#include <google/protobuf/util/time_util.h>

namespace pgposture::testing {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp At(int64_t unix_seconds) { return TimeUtil::SecondsToTimestamp(unix_seconds); }

void AddRole(v1::RolesFacts& roles, const std::string& name, bool superuser, bool login,
             v1::PasswordKind kind, std::optional<int64_t> valid_until = std::nullopt) {
  v1::Role& role = *roles.add_roles();
  role.set_name(name);
  role.set_superuser(superuser);
  role.set_login(login);
  role.set_password_kind(kind);
  if (valid_until) *role.mutable_valid_until() = At(*valid_until);
}

void AddCoverage(v1::PgauditFacts& pgaudit, const std::string& role, v1::PgauditSource source, bool ddl,
                 bool role_class, bool write) {
  v1::PgauditRoleCoverage& coverage = *pgaudit.add_coverage();
  coverage.set_role(role);
  coverage.set_source(source);
  coverage.set_ddl_audited(ddl);
  coverage.set_role_audited(role_class);
  coverage.set_write_audited(write);
}

void AddFinding(v1::DatabasePosture& posture, const std::string& check, v1::Severity severity,
                v1::MaturityLevel level, v1::CheckStatus status) {
  v1::Finding& finding = *posture.add_findings();
  finding.set_check_id(check);
  finding.set_severity(severity);
  finding.set_level(level);
  finding.set_status(status);
}

void FillClusterPgaudit(v1::PgauditFacts& pgaudit) {
  pgaudit.set_loaded(true);
  v1::PgauditSettings& settings = *pgaudit.mutable_settings();
  settings.mutable_log()->set_raw("ddl, role");
  settings.mutable_log()->add_classes(v1::PGAUDIT_CLASS_DDL);
  settings.mutable_log()->add_classes(v1::PGAUDIT_CLASS_ROLE);
  settings.set_log_catalog(true);
  settings.set_log_parameter(false);
  settings.set_log_relation(false);
  settings.set_log_client(false);
  settings.set_log_level("log");
  settings.set_role("auditor");
}

void FillBackup(v1::BackupFacts& backup) {
  backup.set_wal_level("replica");
  backup.set_archive_mode("on");
  backup.set_archive_tool(v1::ARCHIVE_TOOL_PGBACKREST);
  backup.set_archived_count(120);
  backup.set_failed_count(2);
  *backup.mutable_last_archived_at() = At(1700000000);
  *backup.mutable_last_failed_at() = At(1699990000);
  *backup.mutable_archive_age() = TimeUtil::SecondsToDuration(100);
  *backup.mutable_archive_timeout() = TimeUtil::SecondsToDuration(60);
  backup.set_archiver_failing(false);
  backup.set_ready_count(1);
  v1::ReplicationSlot& standby = *backup.add_replication_slots();
  standby.set_name("standby_1");
  standby.set_slot_type("physical");
  standby.set_active(true);
  standby.set_retained_wal_bytes(16777216);
  v1::ReplicationSlot& cdc = *backup.add_replication_slots();
  cdc.set_name("cdc");
  cdc.set_slot_type("logical");
  cdc.set_retained_wal_bytes(1073741824);
  backup.set_mode(v1::BACKUP_MODE_PITR);
  backup.mutable_last_base_backup()->set_tool("pgbackrest");
  backup.mutable_last_base_backup()->set_type("full");
  *backup.mutable_last_base_backup()->mutable_finished_at() = At(1699900000);
}

void FillRoles(v1::RolesFacts& roles) {
  AddRole(roles, "postgres", true, true, v1::PASSWORD_KIND_SCRAM_SHA_256);
  AddRole(roles, "app", false, true, v1::PASSWORD_KIND_SCRAM_SHA_256, 4102444800);  // 2100
  AddRole(roles, "legacy", false, true, v1::PASSWORD_KIND_MD5);
  AddRole(roles, "old", false, true, v1::PASSWORD_KIND_MD5, 946684800);  // 2000
  AddRole(roles, "admin", true, true, v1::PASSWORD_KIND_PLAINTEXT);
  AddRole(roles, "reporting", false, false, v1::PASSWORD_KIND_NONE);
  AddRole(roles, "hidden", false, true, v1::PASSWORD_KIND_UNSPECIFIED);
  roles.mutable_roles(1)->set_createdb(true);
  roles.set_password_encryption("scram-sha-256");
  v1::SessionGroup& psql = *roles.add_sessions();
  psql.set_role("postgres");
  psql.set_application_name("psql");
  psql.set_client_addr("10.0.0.5");
  psql.set_superuser(true);
  psql.set_interactive(true);
  psql.set_count(2);
  psql.set_without_ssl(1);
  v1::SessionGroup& api = *roles.add_sessions();
  api.set_role("app");
  api.set_application_name("api");
  api.set_client_addr("10.0.0.6");
  api.set_count(10);
  roles.set_interactive_superuser_sessions(2);
  roles.set_interactive_superuser_sessions_seen(7);
  roles.set_expired_passwords(1);
  roles.set_never_expiring_passwords(3);
}

void FillNetwork(v1::NetworkFacts& network) {
  network.set_listen_addresses("*");
  network.set_ssl(true);
  for (const char* method : {"scram-sha-256", "md5", "trust"}) {
    v1::HbaRule& rule = *network.add_hba_rules();
    rule.set_type("host");
    rule.set_auth_method(method);
  }
  network.set_rules_open_to_all(1);
  network.set_remote_trust_rules(0);
  network.set_remote_cleartext_or_md5_rules(1);
  network.set_remote_non_ssl_rules(2);
  network.set_client_connections(12);
  network.set_client_connections_without_ssl(1);
}

}  // namespace

v1::DatabasePosture DatabasePart(const std::string& target, const std::string& database,
                                 const std::string& environment,
                                 const std::map<std::string, std::string>& labels) {
  v1::DatabasePosture posture;
  posture.set_name("targets/" + target + "/databases/" + database);
  posture.set_target(target);
  posture.set_database(database);
  posture.set_environment(environment);
  posture.mutable_labels()->insert(labels.begin(), labels.end());
  v1::CollectionInfo& collection = *posture.mutable_collection();
  *collection.mutable_collected_at() = At(1700000100);
  *collection.mutable_last_success_at() = At(1700000100);
  *collection.mutable_duration() = TimeUtil::MillisecondsToDuration(125);
  collection.set_server_version_num(150004);
  return posture;
}

v1::DatabasePosture FullClusterPart() {
  v1::DatabasePosture cluster;
  FillClusterPgaudit(*cluster.mutable_pgaudit());
  FillBackup(*cluster.mutable_backup());
  FillRoles(*cluster.mutable_roles());
  FillNetwork(*cluster.mutable_network());
  v1::CollectorError& error = *cluster.mutable_collection()->add_collector_errors();
  error.set_collector("backup");
  error.set_message("permission denied for function pg_ls_archive_statusdir");
  return cluster;
}

v1::DatabasePosture FullDatabasePart(const std::string& target, const std::string& database,
                                     const std::string& environment,
                                     const std::map<std::string, std::string>& labels) {
  v1::DatabasePosture posture = DatabasePart(target, database, environment, labels);
  v1::PgauditFacts& pgaudit = *posture.mutable_pgaudit();
  pgaudit.set_extension_created(true);
  pgaudit.set_extension_version("1.7");
  pgaudit.set_event_triggers_enabled(true);
  pgaudit.set_agent_role_has_overrides(false);
  v1::PgauditOverride& override_row = *pgaudit.add_overrides();
  override_row.set_role("app");
  override_row.set_setting("pgaudit.log");
  override_row.set_value("none");
  AddCoverage(pgaudit, "postgres", v1::PGAUDIT_SOURCE_SERVER, true, true, false);
  AddCoverage(pgaudit, "app", v1::PGAUDIT_SOURCE_ROLE, false, false, false);
  AddCoverage(pgaudit, "legacy", v1::PGAUDIT_SOURCE_SERVER, true, true, false);
  AddCoverage(pgaudit, "pgposture", v1::PGAUDIT_SOURCE_UNSPECIFIED, false, false, false);

  v1::DdlFacts& ddl = *posture.mutable_ddl();
  ddl.set_capture_installed(true);
  ddl.set_capture_enabled(true);
  (*ddl.mutable_events_by_classification())["migration"] = 40;
  (*ddl.mutable_events_by_classification())["out_of_band"] = 3;
  *ddl.mutable_last_out_of_band_at() = At(1699999000);
  ddl.set_out_of_band_in_window(2);
  ddl.set_capture_failures(0);

  v1::MigrationTable& table = *posture.mutable_migrations()->add_tables();
  table.set_tool("flyway");
  table.set_table("public.flyway_schema_history");
  table.set_latest_version("42");
  *table.mutable_latest_applied_at() = At(1699000000);
  table.set_applied_count(42);

  AddFinding(posture, "migrations.history_table_exists", v1::SEVERITY_WARNING,
             v1::MATURITY_LEVEL_COLLABORATING, v1::CHECK_STATUS_PASS);
  AddFinding(posture, "ddl.capture_enabled", v1::SEVERITY_WARNING, v1::MATURITY_LEVEL_COLLABORATING,
             v1::CHECK_STATUS_PASS);
  AddFinding(posture, "pgaudit.loaded", v1::SEVERITY_CRITICAL, v1::MATURITY_LEVEL_PRODUCTION,
             v1::CHECK_STATUS_PASS);
  AddFinding(posture, "pgaudit.logs_ddl_and_role", v1::SEVERITY_CRITICAL, v1::MATURITY_LEVEL_PRODUCTION,
             v1::CHECK_STATUS_FAIL);
  AddFinding(posture, "pgaudit.agent_role_clean", v1::SEVERITY_WARNING, v1::MATURITY_LEVEL_PRODUCTION,
             v1::CHECK_STATUS_UNKNOWN);
  AddFinding(posture, "pgaudit.logs_write", v1::SEVERITY_INFO, v1::MATURITY_LEVEL_ENTERPRISE,
             v1::CHECK_STATUS_FAIL);
  posture.set_maturity_level(v1::MATURITY_LEVEL_COLLABORATING);
  posture.set_required_level(v1::MATURITY_LEVEL_PRODUCTION);
  return posture;
}

std::vector<DatabaseSnapshot> FullSnapshots(int databases) {
  auto cluster = std::make_shared<const v1::DatabasePosture>(FullClusterPart());
  std::vector<DatabaseSnapshot> snapshots;
  for (int i = 0; i < databases; ++i) {
    snapshots.push_back({cluster, std::make_shared<const v1::DatabasePosture>(FullDatabasePart(
                                      "app", "db" + std::to_string(i), "prod", {{"project", "shop"}}))});
  }
  return snapshots;
}

DatabaseSnapshot Snapshot(const v1::DatabasePosture& cluster, const v1::DatabasePosture& database) {
  return {std::make_shared<const v1::DatabasePosture>(cluster),
          std::make_shared<const v1::DatabasePosture>(database)};
}

DatabaseSnapshot Snapshot(const v1::DatabasePosture& database) {
  return {nullptr, std::make_shared<const v1::DatabasePosture>(database)};
}

const prometheus::MetricFamily* FamilyOf(const std::vector<prometheus::MetricFamily>& families,
                                         const std::string& name) {
  for (const prometheus::MetricFamily& family : families) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

std::optional<double> Value(const std::vector<prometheus::MetricFamily>& families, const std::string& name,
                            const std::map<std::string, std::string>& labels) {
  const prometheus::MetricFamily* family = FamilyOf(families, name);
  if (family == nullptr) return std::nullopt;
  for (const prometheus::ClientMetric& metric : family->metric) {
    std::map<std::string, std::string> found;
    for (const auto& label : metric.label) found[label.name] = label.value;
    if (found.size() != metric.label.size() || found != labels) continue;
    return family->type == prometheus::MetricType::Counter ? metric.counter.value : metric.gauge.value;
  }
  return std::nullopt;
}

}  // namespace pgposture::testing
