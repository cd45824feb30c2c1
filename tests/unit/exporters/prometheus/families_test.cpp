// The values each fact area's families carry, from hand-built facts.
#include "exporters/prometheus/families.h"

#include <gtest/gtest.h>

#include "tests/unit/exporters/prometheus/posture_fixtures.h"

namespace pgposture::testing {
namespace {

using LabelMap = std::map<std::string, std::string>;

const LabelMap kTarget{{"target", "t"}, {"environment", "prod"}};
const LabelMap kDatabase{{"target", "t"}, {"environment", "prod"}, {"database", "db"}};

LabelMap Plus(LabelMap labels, const std::string& name, const std::string& value) {
  labels[name] = value;
  return labels;
}

std::vector<prometheus::MetricFamily> RenderCluster(AreaRenderer render, const v1::DatabasePosture& cluster) {
  Families out;
  render(cluster, TargetLabels(DatabasePart("t", "db")), out);
  return out.Take();
}

std::vector<prometheus::MetricFamily> RenderDatabase(AreaRenderer render,
                                                     const v1::DatabasePosture& database) {
  Families out;
  render(database, DatabaseLabels(database), out);
  return out.Take();
}

TEST(FamiliesTest, ChecksAndMaturity) {
  const auto families = RenderDatabase(AddCheckFamilies, FullDatabasePart("t", "db"));
  const auto status = [&](const char* check, const char* severity, const char* level) {
    return Value(families, "pgposture_check_status",
                 Plus(Plus(Plus(kDatabase, "check", check), "severity", severity), "level", level));
  };
  EXPECT_EQ(status("pgaudit.loaded", "critical", "production"), 1);
  EXPECT_EQ(status("pgaudit.logs_ddl_and_role", "critical", "production"), 0);
  EXPECT_EQ(status("pgaudit.agent_role_clean", "warning", "production"), -1);
  EXPECT_EQ(status("migrations.history_table_exists", "warning", "collaborating"), 1);
  EXPECT_EQ(Value(families, "pgposture_maturity_level", kDatabase), 2);
  EXPECT_EQ(Value(families, "pgposture_required_maturity_level", kDatabase), 3);
}

TEST(FamiliesTest, PgauditServerSettings) {
  const auto families = RenderCluster(AddPgauditClusterFamilies, FullClusterPart());
  EXPECT_EQ(Value(families, "pgposture_pgaudit_loaded", kTarget), 1);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_log_class_enabled", Plus(kTarget, "class", "ddl")), 1);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_log_class_enabled", Plus(kTarget, "class", "role")), 1);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_log_class_enabled", Plus(kTarget, "class", "write")), 0);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_log_class_enabled", Plus(kTarget, "class", "misc_set")), 0);
  EXPECT_EQ(FamilyOf(families, "pgposture_pgaudit_log_class_enabled")->metric.size(), 7);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_log_invalid_items", kTarget), 0);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_setting_enabled", Plus(kTarget, "setting", "log_catalog")), 1);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_setting_enabled", Plus(kTarget, "setting", "log_client")), 0);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_settings_info",
                  Plus(Plus(kTarget, "log_level", "log"), "pgaudit_role", "auditor")),
            1);
}

TEST(FamiliesTest, PgauditNotLoadedHasNoSettings) {
  v1::DatabasePosture cluster;
  cluster.mutable_pgaudit()->set_loaded(false);
  const auto families = RenderCluster(AddPgauditClusterFamilies, cluster);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_loaded", kTarget), 0);
  EXPECT_EQ(FamilyOf(families, "pgposture_pgaudit_log_class_enabled"), nullptr);
}

TEST(FamiliesTest, PgauditDatabaseCoverageAsCounts) {
  const auto families = RenderDatabase(AddPgauditDatabaseFamilies, FullDatabasePart("t", "db"));
  EXPECT_EQ(Value(families, "pgposture_pgaudit_extension_created", kDatabase), 1);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_event_triggers_enabled", kDatabase), 1);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_agent_role_has_overrides", kDatabase), 0);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_overrides", kDatabase), 1);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_login_roles", kDatabase), 4);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_unaudited_login_roles", Plus(kDatabase, "class", "ddl")), 1);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_unaudited_login_roles", Plus(kDatabase, "class", "role")), 1);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_unaudited_login_roles", Plus(kDatabase, "class", "write")), 3);
  EXPECT_EQ(Value(families, "pgposture_pgaudit_coverage_unknown_login_roles", kDatabase), 1);
}

TEST(FamiliesTest, Backup) {
  const auto families = RenderCluster(AddBackupFamilies, FullClusterPart());
  EXPECT_EQ(Value(families, "pgposture_backup_mode", Plus(kTarget, "mode", "pitr")), 1);
  EXPECT_EQ(Value(families, "pgposture_backup_mode", Plus(kTarget, "mode", "archiving")), 0);
  EXPECT_EQ(Value(families, "pgposture_backup_mode", Plus(kTarget, "mode", "none")), 0);
  EXPECT_EQ(Value(families, "pgposture_backup_info",
                  Plus(Plus(Plus(kTarget, "wal_level", "replica"), "archive_mode", "on"), "archive_tool",
                       "pgbackrest")),
            1);
  EXPECT_EQ(Value(families, "pgposture_archiver_archived_segments_total", kTarget), 120);
  EXPECT_EQ(FamilyOf(families, "pgposture_archiver_archived_segments_total")->type,
            prometheus::MetricType::Counter);
  EXPECT_EQ(Value(families, "pgposture_archiver_failed_attempts_total", kTarget), 2);
  EXPECT_EQ(Value(families, "pgposture_archiver_last_archived_timestamp_seconds", kTarget), 1700000000);
  EXPECT_EQ(Value(families, "pgposture_archiver_last_failed_timestamp_seconds", kTarget), 1699990000);
  EXPECT_EQ(Value(families, "pgposture_archiver_last_archive_age_seconds", kTarget), 100);
  EXPECT_EQ(Value(families, "pgposture_archive_timeout_seconds", kTarget), 60);
  EXPECT_EQ(Value(families, "pgposture_archiver_failing", kTarget), 0);
  EXPECT_EQ(Value(families, "pgposture_archiver_ready_segments", kTarget), 1);
  const LabelMap cdc = Plus(Plus(kTarget, "slot", "cdc"), "slot_type", "logical");
  EXPECT_EQ(Value(families, "pgposture_replication_slot_retained_wal_bytes", cdc), 1073741824);
  EXPECT_EQ(Value(families, "pgposture_replication_slot_active", cdc), 0);
  EXPECT_EQ(Value(families, "pgposture_base_backup_last_finished_timestamp_seconds",
                  Plus(kTarget, "tool", "pgbackrest")),
            1699900000);
}

TEST(FamiliesTest, BackupUnknownModeAndCountsLeaveNoSeries) {
  v1::DatabasePosture cluster;
  cluster.mutable_backup()->set_wal_level("replica");
  cluster.mutable_backup()->set_archive_mode("off");
  const auto families = RenderCluster(AddBackupFamilies, cluster);
  EXPECT_EQ(FamilyOf(families, "pgposture_backup_mode"), nullptr);
  EXPECT_EQ(FamilyOf(families, "pgposture_archiver_archived_segments_total"), nullptr);
  EXPECT_EQ(FamilyOf(families, "pgposture_archiver_failing"), nullptr);
  EXPECT_EQ(Value(families, "pgposture_backup_info",
                  Plus(Plus(Plus(kTarget, "wal_level", "replica"), "archive_mode", "off"), "archive_tool",
                       "unspecified")),
            1);
}

TEST(FamiliesTest, RolesAsCountsWithoutNames) {
  const auto families = RenderCluster(AddRolesFamilies, FullClusterPart());
  EXPECT_EQ(Value(families, "pgposture_roles", kTarget), 7);
  EXPECT_EQ(Value(families, "pgposture_roles_with_attribute", Plus(kTarget, "attribute", "superuser")), 2);
  EXPECT_EQ(Value(families, "pgposture_roles_with_attribute", Plus(kTarget, "attribute", "login")), 6);
  EXPECT_EQ(Value(families, "pgposture_roles_with_attribute", Plus(kTarget, "attribute", "createdb")), 1);
  EXPECT_EQ(Value(families, "pgposture_roles_with_attribute", Plus(kTarget, "attribute", "bypassrls")), 0);
  const auto kind = [&](const char* name) {
    return Value(families, "pgposture_roles_by_password_kind", Plus(kTarget, "password_kind", name));
  };
  EXPECT_EQ(kind("md5"), 2);
  EXPECT_EQ(kind("scram_sha_256"), 2);
  EXPECT_EQ(kind("plaintext"), 1);
  EXPECT_EQ(kind("none"), 1);
  EXPECT_EQ(kind("unspecified"), 1);
  EXPECT_EQ(Value(families, "pgposture_login_roles_with_expired_password", kTarget), 1);
  EXPECT_EQ(Value(families, "pgposture_login_roles_with_never_expiring_password", kTarget), 3);
  EXPECT_EQ(Value(families, "pgposture_password_encryption_info",
                  Plus(kTarget, "password_encryption", "scram-sha-256")),
            1);
  EXPECT_EQ(Value(families, "pgposture_interactive_superuser_sessions", kTarget), 2);
  EXPECT_EQ(Value(families, "pgposture_interactive_superuser_sessions_seen_total", kTarget), 7);
  for (const prometheus::MetricFamily& family : families) {
    for (const prometheus::ClientMetric& metric : family.metric) {
      for (const auto& label : metric.label) {
        EXPECT_NE(label.value, "legacy") << family.name << ": role names are not labels";
        EXPECT_NE(label.value, "10.0.0.5") << family.name << ": client addresses are not labels";
        EXPECT_NE(label.value, "psql") << family.name << ": application names are not labels";
      }
    }
  }
}

TEST(FamiliesTest, RolesNotReadLeaveNoCounts) {
  v1::DatabasePosture cluster;
  cluster.mutable_roles()->set_password_encryption("scram-sha-256");
  const auto families = RenderCluster(AddRolesFamilies, cluster);
  EXPECT_EQ(FamilyOf(families, "pgposture_roles"), nullptr);
  EXPECT_EQ(FamilyOf(families, "pgposture_roles_by_password_kind"), nullptr);
  EXPECT_EQ(FamilyOf(families, "pgposture_interactive_superuser_sessions"), nullptr);
  EXPECT_EQ(FamilyOf(families, "pgposture_login_roles_with_expired_password"), nullptr);
}

TEST(FamiliesTest, Network) {
  const auto families = RenderCluster(AddNetworkFamilies, FullClusterPart());
  EXPECT_EQ(Value(families, "pgposture_ssl_enabled", kTarget), 1);
  EXPECT_EQ(Value(families, "pgposture_listen_addresses_info", Plus(kTarget, "listen_addresses", "*")), 1);
  EXPECT_EQ(Value(families, "pgposture_hba_rules", kTarget), 3);
  EXPECT_EQ(Value(families, "pgposture_hba_risky_rules", Plus(kTarget, "risk", "open_to_all")), 1);
  EXPECT_EQ(Value(families, "pgposture_hba_risky_rules", Plus(kTarget, "risk", "remote_trust")), 0);
  EXPECT_EQ(Value(families, "pgposture_hba_risky_rules", Plus(kTarget, "risk", "remote_cleartext_or_md5")),
            1);
  EXPECT_EQ(Value(families, "pgposture_hba_risky_rules", Plus(kTarget, "risk", "remote_non_ssl")), 2);
  EXPECT_EQ(Value(families, "pgposture_client_connections", kTarget), 12);
  EXPECT_EQ(Value(families, "pgposture_client_connections_without_ssl", kTarget), 1);
}

TEST(FamiliesTest, NetworkWithUnreadableHbaHasNoRuleCounts) {
  v1::DatabasePosture cluster;
  cluster.mutable_network()->set_ssl(false);
  const auto families = RenderCluster(AddNetworkFamilies, cluster);
  EXPECT_EQ(Value(families, "pgposture_ssl_enabled", kTarget), 0);
  EXPECT_EQ(FamilyOf(families, "pgposture_hba_rules"), nullptr);
  EXPECT_EQ(FamilyOf(families, "pgposture_hba_risky_rules"), nullptr);
}

TEST(FamiliesTest, DdlEventsAsCountersWithEveryClassification) {
  const auto families = RenderDatabase(AddDdlFamilies, FullDatabasePart("t", "db"));
  EXPECT_EQ(Value(families, "pgposture_ddl_capture_installed", kDatabase), 1);
  EXPECT_EQ(Value(families, "pgposture_ddl_capture_enabled", kDatabase), 1);
  EXPECT_EQ(Value(families, "pgposture_ddl_events_total", Plus(kDatabase, "classification", "migration")),
            40);
  EXPECT_EQ(Value(families, "pgposture_ddl_events_total", Plus(kDatabase, "classification", "out_of_band")),
            3);
  EXPECT_EQ(Value(families, "pgposture_ddl_events_total", Plus(kDatabase, "classification", "ignored")), 0);
  EXPECT_EQ(FamilyOf(families, "pgposture_ddl_events_total")->type, prometheus::MetricType::Counter);
  EXPECT_EQ(Value(families, "pgposture_ddl_last_out_of_band_timestamp_seconds", kDatabase), 1699999000);
  EXPECT_EQ(Value(families, "pgposture_ddl_out_of_band_in_window", kDatabase), 2);
  EXPECT_EQ(Value(families, "pgposture_ddl_capture_failures_total", kDatabase), 0);
}

TEST(FamiliesTest, DdlCaptureNotInstalledHasNoEventCounters) {
  v1::DatabasePosture database = DatabasePart("t", "db");
  database.mutable_ddl()->set_capture_installed(false);
  database.mutable_ddl()->set_capture_enabled(false);
  const auto families = RenderDatabase(AddDdlFamilies, database);
  EXPECT_EQ(Value(families, "pgposture_ddl_capture_installed", kDatabase), 0);
  EXPECT_EQ(FamilyOf(families, "pgposture_ddl_events_total"), nullptr);
}

TEST(FamiliesTest, Migrations) {
  const auto families = RenderDatabase(AddMigrationFamilies, FullDatabasePart("t", "db"));
  EXPECT_EQ(Value(families, "pgposture_migration_history_tables", kDatabase), 1);
  const LabelMap table = Plus(Plus(kDatabase, "tool", "flyway"), "table", "public.flyway_schema_history");
  EXPECT_EQ(Value(families, "pgposture_migrations_applied", table), 42);
  EXPECT_EQ(Value(families, "pgposture_migration_last_applied_timestamp_seconds", table), 1699000000);
}

TEST(FamiliesTest, UnreadableMigrationTableIsCountedWithoutEntries) {
  v1::DatabasePosture database = DatabasePart("t", "db");
  v1::MigrationTable& table = *database.mutable_migrations()->add_tables();
  table.set_tool("flyway");
  table.set_table("public.flyway_schema_history");
  table.set_error("permission denied for table flyway_schema_history");
  const auto families = RenderDatabase(AddMigrationFamilies, database);
  EXPECT_EQ(Value(families, "pgposture_migration_history_tables", kDatabase), 1);
  EXPECT_EQ(FamilyOf(families, "pgposture_migrations_applied"), nullptr);
}

TEST(FamiliesTest, NoMigrationTableIsZeroOnceCollected) {
  v1::DatabasePosture database = DatabasePart("t", "db");
  database.mutable_migrations();
  EXPECT_EQ(
      Value(RenderDatabase(AddMigrationFamilies, database), "pgposture_migration_history_tables", kDatabase),
      0);
}

}  // namespace
}  // namespace pgposture::testing
