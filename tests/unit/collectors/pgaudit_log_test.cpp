#include "collectors/pgaudit/pgaudit_log.h"

#include <gtest/gtest.h>

#include <set>

namespace pgposture {
namespace {

using Classes = std::set<int>;

Classes ClassesOf(const std::string& raw) {
  const v1::PgauditLogSetting setting = ParsePgauditLog(raw);
  return Classes(setting.classes().begin(), setting.classes().end());
}

const Classes kAll{v1::PGAUDIT_CLASS_READ,    v1::PGAUDIT_CLASS_WRITE, v1::PGAUDIT_CLASS_FUNCTION,
                   v1::PGAUDIT_CLASS_ROLE,    v1::PGAUDIT_CLASS_DDL,   v1::PGAUDIT_CLASS_MISC,
                   v1::PGAUDIT_CLASS_MISC_SET};

TEST(PgauditLogTest, ParsesListsCaseInsensitivelyWithSpaces) {
  EXPECT_EQ(ClassesOf("ddl, ROLE ,write"),
            (Classes{v1::PGAUDIT_CLASS_DDL, v1::PGAUDIT_CLASS_ROLE, v1::PGAUDIT_CLASS_WRITE}));
  EXPECT_EQ(ClassesOf("misc_set"), (Classes{v1::PGAUDIT_CLASS_MISC_SET}));
}

TEST(PgauditLogTest, NoneAndEmptyLogNothing) {
  EXPECT_TRUE(ClassesOf("none").empty());
  EXPECT_TRUE(ClassesOf("").empty());
  EXPECT_TRUE(ParsePgauditLog("none").invalid_items().empty());
}

TEST(PgauditLogTest, AllAndSubtractionApplyLeftToRight) {
  EXPECT_EQ(ClassesOf("all"), kAll);
  Classes all_but_misc = kAll;
  all_but_misc.erase(v1::PGAUDIT_CLASS_MISC);
  EXPECT_EQ(ClassesOf("all, -misc"), all_but_misc);
  // A subtraction before the class is added has no lasting effect.
  EXPECT_EQ(ClassesOf("-misc, all"), kAll);
  EXPECT_TRUE(ClassesOf("ddl, role, -all").empty());
  // `none` adds nothing; it does not clear what came before.
  EXPECT_EQ(ClassesOf("ddl, none"), (Classes{v1::PGAUDIT_CLASS_DDL}));
}

TEST(PgauditLogTest, ReportsItemsPgauditWouldReject) {
  const v1::PgauditLogSetting setting = ParsePgauditLog("ddl, dll, ,role");
  ASSERT_EQ(setting.invalid_items_size(), 2);
  EXPECT_EQ(setting.invalid_items(0), "dll");
  EXPECT_EQ(setting.invalid_items(1), "");
  EXPECT_EQ(setting.raw(), "ddl, dll, ,role");
}

TEST(PgauditLogTest, LogsClass) {
  const v1::PgauditLogSetting setting = ParsePgauditLog("ddl");
  EXPECT_TRUE(LogsClass(setting, v1::PGAUDIT_CLASS_DDL));
  EXPECT_FALSE(LogsClass(setting, v1::PGAUDIT_CLASS_ROLE));
}

TEST(PgauditLogTest, RecognisesPreloadedPgaudit) {
  EXPECT_TRUE(PreloadsPgaudit("pgaudit"));
  EXPECT_TRUE(PreloadsPgaudit("pg_stat_statements, pgaudit"));
  EXPECT_TRUE(PreloadsPgaudit("\"$libdir/pgaudit\""));
  EXPECT_TRUE(PreloadsPgaudit("pgaudit.so"));
  EXPECT_FALSE(PreloadsPgaudit(""));
  EXPECT_FALSE(PreloadsPgaudit("pg_stat_statements"));
  EXPECT_FALSE(PreloadsPgaudit("pgauditlogtofile"));
}

}  // namespace
}  // namespace pgposture
