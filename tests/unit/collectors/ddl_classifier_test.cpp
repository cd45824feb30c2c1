#include "collectors/ddl/ddl_classifier.h"

#include <gtest/gtest.h>

namespace pgposture {
namespace {

v1::DdlEvent Event(const std::string& application_name) {
  v1::DdlEvent event;
  event.set_command_tag("CREATE TABLE");
  event.set_session_user("alice");
  event.set_application_name(application_name);
  event.set_client_addr("192.0.2.7");
  return event;
}

CollectorOptions Policy() {
  CollectorOptions options;
  options.migration_roles = {"migrator"};
  options.migration_client_cidrs = {"10.20.0.0/24", "fd00::/64"};
  options.migration_application_names = {"^flyway", "^liquibase"};
  return options;
}

std::pair<v1::DdlClassification, std::string> Classified(v1::DdlEvent event,
                                                         const CollectorOptions& options = Policy()) {
  DdlClassifier(options).Classify(event);
  return {event.classification(), event.rule()};
}

TEST(DdlClassifierTest, NamesSources) {
  EXPECT_EQ(SourceOf("postgres-meta 0.83.2"), "dashboard");
  EXPECT_EQ(SourceOf("supabase/dashboard-sql-editor"), "dashboard");
  EXPECT_EQ(SourceOf("pgAdmin 4 - DB:app"), "ide");
  EXPECT_EQ(SourceOf("DBeaver 23.1.0 - Main"), "ide");
  EXPECT_EQ(SourceOf("DataGrip 2023.2"), "ide");
  EXPECT_EQ(SourceOf("psql"), "psql");
  EXPECT_EQ(SourceOf("my-service"), "unknown");
  EXPECT_EQ(SourceOf(""), "unknown");
}

TEST(DdlClassifierTest, HandMadeChangeIsOutOfBand) {
  v1::DdlEvent event = Event("psql");
  DdlClassifier(Policy()).Classify(event);
  EXPECT_EQ(event.classification(), v1::DDL_CLASSIFICATION_OUT_OF_BAND);
  EXPECT_EQ(event.rule(), "no_migration_rule");
  EXPECT_EQ(event.source(), "psql");
}

TEST(DdlClassifierTest, EachMigrationRuleAndItsName) {
  v1::DdlEvent history = Event("psql");
  history.set_wrote_history(true);
  EXPECT_EQ(Classified(history),
            std::make_pair(v1::DDL_CLASSIFICATION_MIGRATION, std::string("history_write")));

  v1::DdlEvent declared = Event("psql");
  declared.set_change_source("ci:deploy-42");
  EXPECT_EQ(Classified(declared).second, "change_source");

  v1::DdlEvent role = Event("psql");
  role.set_session_user("migrator");
  EXPECT_EQ(Classified(role).second, "migration_role");

  v1::DdlEvent network = Event("psql");
  network.set_client_addr("10.20.0.55");
  EXPECT_EQ(Classified(network).second, "migration_client");
  network.set_client_addr("fd00::1");
  EXPECT_EQ(Classified(network).second, "migration_client");
  network.set_client_addr("10.20.1.1");
  EXPECT_EQ(Classified(network).first, v1::DDL_CLASSIFICATION_OUT_OF_BAND);

  EXPECT_EQ(Classified(Event("Flyway by Redgate")).first, v1::DDL_CLASSIFICATION_OUT_OF_BAND)
      << "patterns are case-sensitive as written";
  EXPECT_EQ(Classified(Event("flyway 9.22")).second, "migration_application");
}

TEST(DdlClassifierTest, DashboardStaysOutOfBandEvenWhenItWritesHistory) {
  v1::DdlEvent event = Event("postgres-meta 0.83.2");
  event.set_wrote_history(true);
  event.set_change_source("studio");
  event.set_session_user("migrator");
  EXPECT_EQ(Classified(event), std::make_pair(v1::DDL_CLASSIFICATION_OUT_OF_BAND, std::string("dashboard")));
}

TEST(DdlClassifierTest, ExtensionsAndTemporaryObjectsNeverAlert) {
  v1::DdlEvent member = Event("postgres-meta 0.83.2");
  member.set_in_extension(true);
  EXPECT_EQ(Classified(member), std::make_pair(v1::DDL_CLASSIFICATION_IGNORED, std::string("extension")));
  v1::DdlEvent create = Event("psql");
  create.set_command_tag("CREATE EXTENSION");
  EXPECT_EQ(Classified(create).first, v1::DDL_CLASSIFICATION_IGNORED);
  v1::DdlEvent drop = Event("psql");
  drop.set_command_tag("DROP EXTENSION");
  EXPECT_EQ(Classified(drop).first, v1::DDL_CLASSIFICATION_OUT_OF_BAND)
      << "removing an extension is a change";
  v1::DdlEvent temporary = Event("psql");
  temporary.set_temporary(true);
  EXPECT_EQ(Classified(temporary), std::make_pair(v1::DDL_CLASSIFICATION_IGNORED, std::string("temporary")));
}

TEST(CidrTest, ParsesAndMatches) {
  const auto network = ParseCidr("10.20.0.0/24");
  ASSERT_TRUE(network);
  EXPECT_TRUE(CidrContains(*network, "10.20.0.255"));
  EXPECT_FALSE(CidrContains(*network, "10.20.1.0"));
  EXPECT_FALSE(CidrContains(*network, "fd00::1"));
  EXPECT_FALSE(CidrContains(*network, ""));
  EXPECT_TRUE(CidrContains(*ParseCidr("0.0.0.0/0"), "203.0.113.9"));
  EXPECT_FALSE(ParseCidr("10.20.0.0"));
  EXPECT_FALSE(ParseCidr("10.20.0.0/33"));
  EXPECT_FALSE(ParseCidr("nonsense/8"));
}

// Found by tests/fuzz/cidr_fuzz.cpp: "10.0.0.0/8junk" was read as 10.0.0.0/8.
TEST(CidrTest, RefusesAnythingButDigitsAfterTheSlash) {
  for (const char* text : {"10.0.0.0/8junk", "10.0.0.0/ 8", "10.0.0.0/+8", "10.0.0.0/", "fd00::/0064"}) {
    EXPECT_FALSE(ParseCidr(text)) << text;
  }
  const auto leading_zero = ParseCidr("fd00::/064");
  ASSERT_TRUE(leading_zero);
  EXPECT_EQ(leading_zero->prefix_length, 64);
}

}  // namespace
}  // namespace pgposture
