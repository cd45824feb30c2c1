// ParsePgauditLog reads the pgaudit.log setting, PreloadsPgaudit
// shared_preload_libraries. Properties: the raw text is kept; each class is
// listed once; case does not matter; the listed classes, written back as a
// setting, parse to themselves with nothing invalid; items applied after the
// value act as pgaudit applies them; LogsClass agrees with the list; a
// library list that loads pgaudit still does with another library around it.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string>

#include "collectors/pgaudit/pgaudit_log.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using pgposture::v1::PgauditClass;
using pgposture::v1::PgauditLogSetting;

std::set<int> Classes(const PgauditLogSetting& setting) {
  return {setting.classes().begin(), setting.classes().end()};
}

// The classes as a pgaudit.log value, by their enum names ("PGAUDIT_CLASS_MISC_SET" -> "misc_set").
std::string Written(const PgauditLogSetting& setting) {
  std::string text;
  for (int log_class : setting.classes()) {
    std::string name = pgposture::v1::PgauditClass_Name(static_cast<PgauditClass>(log_class))
                           .substr(std::string("PGAUDIT_CLASS_").size());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    text.append(text.empty() ? "" : ",").append(name);
  }
  return text.empty() ? "none" : text;
}

void CheckLogSetting(const std::string& raw) {
  const PgauditLogSetting setting = pgposture::ParsePgauditLog(raw);
  FUZZ_CHECK(setting.raw() == raw);
  const std::set<int> classes = Classes(setting);
  FUZZ_CHECK(classes.size() == static_cast<std::size_t>(setting.classes_size()));
  for (int log_class = pgposture::v1::PgauditClass_MIN; log_class <= pgposture::v1::PgauditClass_MAX;
       ++log_class) {
    FUZZ_CHECK(pgposture::LogsClass(setting, static_cast<PgauditClass>(log_class)) ==
               (classes.count(log_class) == 1));
  }
  FUZZ_CHECK(classes.count(pgposture::v1::PGAUDIT_CLASS_UNSPECIFIED) == 0);

  std::string upper = raw;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  FUZZ_CHECK(Classes(pgposture::ParsePgauditLog(upper)) == classes);

  const PgauditLogSetting rewritten = pgposture::ParsePgauditLog(Written(setting));
  FUZZ_CHECK(Classes(rewritten) == classes && rewritten.invalid_items_size() == 0);

  FUZZ_CHECK(pgposture::ParsePgauditLog(raw + ",-all").classes_size() == 0);
  FUZZ_CHECK(pgposture::ParsePgauditLog(raw + ", ALL").classes_size() == 7);
  std::set<int> with_ddl = classes;
  with_ddl.insert(pgposture::v1::PGAUDIT_CLASS_DDL);
  FUZZ_CHECK(Classes(pgposture::ParsePgauditLog(raw + ",ddl")) == with_ddl);
}

void CheckPreloadLibraries(const std::string& libraries) {
  const bool loads = pgposture::PreloadsPgaudit(libraries);
  FUZZ_CHECK(pgposture::PreloadsPgaudit(libraries + ",pg_stat_statements") == loads);
  FUZZ_CHECK(pgposture::PreloadsPgaudit("pg_stat_statements," + libraries) == loads);
  FUZZ_CHECK(pgposture::PreloadsPgaudit(libraries + ", \"$libdir/pgaudit\""));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  CheckLogSetting(input.ConsumeRandomLengthString());
  CheckPreloadLibraries(input.ConsumeRemainingBytesAsString());
  return 0;
}
