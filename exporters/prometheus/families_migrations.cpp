// Migration-history tables found in the database. Database-scoped.
#include "exporters/prometheus/families.h"

namespace pgposture {
namespace {

using prometheus::MetricType;

constexpr FamilySpec kTables{
    "pgposture_migration_history_tables", MetricType::Gauge,
    "Migration-history tables of known tools found in the database, readable or not."};
constexpr FamilySpec kApplied{"pgposture_migrations_applied", MetricType::Gauge,
                              "Entries in the migration-history table."};
constexpr FamilySpec kLastApplied{"pgposture_migration_last_applied_timestamp_seconds", MetricType::Gauge,
                                  "Unix time the latest entry of the migration-history table was applied."};

}  // namespace

void AddMigrationFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out) {
  if (!facts.has_migrations()) return;
  out.Add(kTables, labels, facts.migrations().tables_size());
  for (const v1::MigrationTable& table : facts.migrations().tables()) {
    if (!table.error().empty()) continue;  // found but unreadable: its counts are unknown
    // The table name is one of a fixed list (schema-qualified): bounded.
    const std::initializer_list<ExtraLabel> table_labels = {{"tool", table.tool()}, {"table", table.table()}};
    out.Add(kApplied, labels, table_labels, static_cast<double>(table.applied_count()));
    if (table.has_latest_applied_at()) {
      out.Add(kLastApplied, labels, table_labels, UnixSeconds(table.latest_applied_at()));
    }
  }
}

}  // namespace pgposture
