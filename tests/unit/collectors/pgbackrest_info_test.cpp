#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "collectors/backup/pgbackrest_collector.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

// `pgbackrest --stanza=test --output=json info` of pgbackrest 2.45 after a
// full and an incremental backup; the second stanza shows other entries are
// skipped.
constexpr const char* kTwoBackups =
    R"JSON([{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000010000000000000004","min":"000000010000000000000001"}],"backup":[{"archive":{"start":"000000010000000000000002","stop":"000000010000000000000002"},"backrest":{"format":5,"version":"2.45"},"database":{"id":1,"repo-key":1},"error":false,"info":{"delta":23209540,"repository":{"delta":23209540,"size":23209540},"size":23209540},"label":"20261123-230822F","lsn":{"start":"0/2000028","stop":"0/2000100"},"prior":null,"reference":null,"timestamp":{"start":1795475302,"stop":1795475304},"type":"full"},{"archive":{"start":"000000010000000000000004","stop":"000000010000000000000004"},"backrest":{"format":5,"version":"2.45"},"database":{"id":1,"repo-key":1},"error":false,"info":{"delta":8192,"repository":{"delta":8192,"size":23209540},"size":23209540},"label":"20261123-230822F_20261123-231000I","lsn":{"start":"0/4000028","stop":"0/4000100"},"prior":"20261123-230822F","reference":["20261123-230822F"],"timestamp":{"start":1795475400,"stop":1795475401},"type":"incr"}],"cipher":"none","db":[{"id":1,"repo-key":1,"system-id":7711502785247466425,"version":"15"}],"name":"test","repo":[{"cipher":"none","key":1,"status":{"code":0,"message":"ok"}}],"status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}},{"archive":[],"backup":[],"cipher":"none","db":[],"name":"other","repo":[],"status":{"code":2,"lock":{"backup":{"held":false}},"message":"no valid backups"}}])JSON";

TEST(PgbackrestInfoTest, NewestBackupOfTheStanza) {
  const v1::BaseBackup backup = ParsePgbackrestInfo(kTwoBackups, "test");
  EXPECT_EQ(backup.tool(), "pgbackrest");
  EXPECT_EQ(backup.type(), "incr");
  EXPECT_EQ(TimeUtil::TimestampToSeconds(backup.finished_at()), 1795475401);
}

TEST(PgbackrestInfoTest, BackupWithErrorsIsSkipped) {
  std::string json = kTwoBackups;
  json.replace(json.rfind("\"error\":false"), 13, "\"error\":true");
  const v1::BaseBackup backup = ParsePgbackrestInfo(json, "test");
  EXPECT_EQ(backup.type(), "full");
  EXPECT_EQ(TimeUtil::TimestampToSeconds(backup.finished_at()), 1795475304);
}

std::string ErrorOf(const std::string& json, const std::string& stanza) {
  try {
    ParsePgbackrestInfo(json, stanza);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "no error for stanza " << stanza;
  return "";
}

TEST(PgbackrestInfoTest, NoValidBackupSaysWhatToRun) {
  EXPECT_EQ(ErrorOf(kTwoBackups, "other"),
            "pgbackrest stanza other has no valid backup; run pgbackrest --stanza=other backup");
}

TEST(PgbackrestInfoTest, StanzaProblemsAreReported) {
  const std::string missing =
      R"([{"archive":[],"backup":[],"cipher":"none","db":[],"name":"nope","repo":[{"cipher":"none","key":1,"status":{"code":1,"message":"missing stanza path"}}],"status":{"code":1,"lock":{"backup":{"held":false}},"message":"missing stanza path"}}])";
  EXPECT_EQ(ErrorOf(missing, "nope"),
            "pgbackrest stanza nope: missing stanza path (status 1); run pgbackrest --stanza=nope check");
  EXPECT_EQ(ErrorOf(missing, "main"), "pgbackrest stanza main is missing from pgbackrest info");
}

TEST(PgbackrestInfoTest, NotJsonIsAnError) {
  const std::string error = ErrorOf("ERROR: [055]: unable to open missing file", "main");
  EXPECT_EQ(error.rfind("pgbackrest info output is not the JSON expected: ", 0), 0u) << error;
}

}  // namespace
}  // namespace pgposture
