// Backup facts against real clusters: archiving that works, archiving that
// fails, no archiving, and pgbackrest's own report of the last base backup.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/harness/process.h"
#include "tests/integration/audited_cluster.h"

namespace pgposture::testing {
namespace {

using google::protobuf::util::TimeUtil;
using namespace std::chrono_literals;

// A segment completed and handed to the archiver: something to write first,
// since pg_switch_wal() does nothing in an empty segment.
void SwitchWal(PgCluster& cluster) {
  cluster.Psql("CREATE TABLE IF NOT EXISTS wal_filler (n int); INSERT INTO wal_filler VALUES (1)");
  cluster.Psql("SELECT pg_switch_wal()");
}

int64_t ArchiverCount(PgCluster& cluster, const std::string& column) {
  return std::stoll(cluster.PsqlValue("SELECT " + column + " FROM pg_stat_archiver"));
}

PgClusterOptions FailingArchiving() {
  PgClusterOptions options;
  options.conf_lines = {"wal_level = replica", "archive_mode = on", "archive_command = 'false'"};
  return options;
}

// A segment the archiver failed on, waiting in archive_status as ready.
void WaitForArchiveFailure(PgCluster& cluster) {
  SwitchWal(cluster);
  WaitFor("an archiving failure", [&] { return ArchiverCount(cluster, "failed_count") > 0; });
}

TEST(BackupTest, WorkingCopyArchivingIsPitr) {
  PgClusterOptions options;
  options.archiving = true;  // test ! -f .../%f && cp %p .../%f
  AuditedCluster audited(options);
  SwitchWal(audited.cluster());
  WaitFor("a segment archived", [&] { return ArchiverCount(audited.cluster(), "archived_count") > 0; });

  const auto postures = CollectOnce({audited.Target("db")});
  const v1::DatabasePosture& posture = postures.at("targets/db/databases/postgres");
  ASSERT_FALSE(posture.collection().stale()) << posture.collection().error();
  EXPECT_EQ(posture.collection().collector_errors_size(), 0)
      << posture.collection().collector_errors(0).message();
  const v1::BackupFacts& backup = posture.backup();
  EXPECT_EQ(backup.wal_level(), "replica");
  EXPECT_EQ(backup.archive_mode(), "on");
  EXPECT_EQ(backup.archive_tool(), v1::ARCHIVE_TOOL_COPY);
  EXPECT_GT(backup.archived_count(), 0);
  EXPECT_FALSE(backup.last_archived_wal().empty());
  EXPECT_TRUE(std::filesystem::exists(audited.cluster().dir() + "/archive/" + backup.last_archived_wal()));
  EXPECT_EQ(backup.failed_count(), 0);
  EXPECT_FALSE(backup.archiver_failing());
  EXPECT_LT(TimeUtil::DurationToSeconds(backup.archive_age()), 60);
  ASSERT_TRUE(backup.has_ready_count()) << "pg_monitor (granted by install) may list archive_status";
  EXPECT_EQ(backup.ready_count(), 0);
  EXPECT_EQ(backup.mode(), v1::BACKUP_MODE_PITR);
  EXPECT_EQ(FindingOf(posture, "backup.pitr").status(), v1::CHECK_STATUS_PASS);
}

TEST(BackupTest, FailingArchiveCommandIsReportedWithinOneCycle) {
  AuditedCluster audited(FailingArchiving());
  WaitForArchiveFailure(audited.cluster());

  const auto postures = CollectOnce({audited.Target("db")});
  const v1::DatabasePosture& posture = postures.at("targets/db/databases/postgres");
  const v1::BackupFacts& backup = posture.backup();
  EXPECT_EQ(backup.archive_tool(), v1::ARCHIVE_TOOL_OTHER);
  EXPECT_GT(backup.failed_count(), 0);
  EXPECT_FALSE(backup.last_failed_wal().empty());
  EXPECT_TRUE(backup.archiver_failing());
  EXPECT_GE(backup.ready_count(), 1) << "the segment that failed still waits";
  EXPECT_EQ(backup.mode(), v1::BACKUP_MODE_ARCHIVING);
  const v1::Finding& finding = FindingOf(posture, "backup.pitr");
  EXPECT_EQ(finding.status(), v1::CHECK_STATUS_FAIL);
  EXPECT_NE(finding.detail().find("the archiver is failing: its last failure (" + backup.last_failed_wal()),
            std::string::npos)
      << finding.detail();
}

TEST(BackupTest, NoArchivingIsNone) {
  AuditedCluster audited;
  // A slot that reserves WAL at once: it holds back everything written since.
  audited.cluster().Psql("SELECT pg_create_physical_replication_slot('forgotten_standby', true)");
  SwitchWal(audited.cluster());

  const auto postures = CollectOnce({audited.Target("db")});
  const v1::DatabasePosture& posture = postures.at("targets/db/databases/postgres");
  const v1::BackupFacts& backup = posture.backup();
  EXPECT_EQ(backup.archive_mode(), "off");
  EXPECT_EQ(backup.archive_tool(), v1::ARCHIVE_TOOL_NONE);
  EXPECT_EQ(backup.archived_count(), 0);
  EXPECT_FALSE(backup.archiver_failing());
  EXPECT_EQ(backup.mode(), v1::BACKUP_MODE_NONE);
  ASSERT_EQ(backup.replication_slots_size(), 1);
  EXPECT_EQ(backup.replication_slots(0).name(), "forgotten_standby");
  EXPECT_EQ(backup.replication_slots(0).slot_type(), "physical");
  EXPECT_FALSE(backup.replication_slots(0).active());
  EXPECT_GT(backup.replication_slots(0).retained_wal_bytes(), 0);
  const v1::Finding& finding = FindingOf(posture, "backup.pitr");
  EXPECT_EQ(finding.status(), v1::CHECK_STATUS_FAIL);
  EXPECT_EQ(finding.detail(), "WAL is not archived: archive_mode is off");
}

TEST(BackupTest, WithoutPgMonitorTheBacklogIsUnknown) {
  PgClusterOptions options;
  options.archiving = true;
  AuditedCluster audited(options);
  audited.cluster().Psql("REVOKE pg_monitor FROM pgposture");

  const auto postures = CollectOnce({audited.Target("db")});
  const v1::BackupFacts& backup = postures.at("targets/db/databases/postgres").backup();
  EXPECT_FALSE(backup.has_ready_count());
  EXPECT_EQ(backup.archive_tool(), v1::ARCHIVE_TOOL_COPY) << "the rest is still read";
}

// The ready count is read through pg_ls_archive_statusdir() itself once a
// cycle has shown the agent may call it, and through a guarded form before
// and again at once when the grant goes: the count must be the same either
// way, and losing pg_monitor mid-run must be no collector error.
TEST(BackupTest, ReadyCountIsTheSameEveryCycleAndLosingPgMonitorIsNoError) {
  AuditedCluster audited(FailingArchiving());
  WaitForArchiveFailure(audited.cluster());
  CyclingAgent agent({audited.Target("db")});
  const auto backup_of = [&agent](const char* cycle) {
    const v1::DatabasePosture posture = agent.Cycle().at("targets/db/databases/postgres");
    for (const v1::CollectorError& error : posture.collection().collector_errors()) {
      ADD_FAILURE() << cycle << ": " << error.collector() << ": " << error.message();
    }
    return posture.backup();
  };

  const v1::BackupFacts guarded = backup_of("guarded");
  ASSERT_TRUE(guarded.has_ready_count());
  EXPECT_GE(guarded.ready_count(), 1) << "the segment that failed still waits";
  EXPECT_EQ(backup_of("direct").ready_count(), guarded.ready_count());

  audited.cluster().Psql("REVOKE pg_monitor FROM pgposture");
  const v1::BackupFacts revoked = backup_of("revoked");
  EXPECT_FALSE(revoked.has_ready_count());
  EXPECT_EQ(revoked.archive_tool(), v1::ARCHIVE_TOOL_OTHER) << "the rest is still read";

  audited.cluster().Psql("GRANT pg_monitor TO pgposture");
  for (const char* cycle : {"granted again, guarded", "granted again, direct"}) {
    EXPECT_EQ(backup_of(cycle).ready_count(), guarded.ready_count()) << cycle;
  }
}

// pgbackrest's repository and configuration in a directory of their own; the
// server archives into it as the OS user it runs as.
class PgbackrestRepository {
 public:
  PgbackrestRepository() {
    char dir[] = "/tmp/pgp-br-XXXXXX";
    if (mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    GiveToServer(dir_);
  }
  ~PgbackrestRepository() { std::filesystem::remove_all(dir_); }
  PgbackrestRepository(const PgbackrestRepository&) = delete;
  PgbackrestRepository& operator=(const PgbackrestRepository&) = delete;

  std::string config() const { return dir_ + "/pgbackrest.conf"; }

  // Written once the cluster runs: it names the cluster's directory and port.
  void Configure(const PgCluster& cluster) const {
    std::ofstream(config()) << "[global]\nrepo1-path=" << dir_ << "/repo\nlock-path=" << dir_
                            << "/lock\nlog-level-file=off\nlog-level-console=warn\nstart-fast=y\n"
                               "compress-type=none\nrepo1-retention-full=1\n\n[pgposture]\npg1-path="
                            << cluster.dir() << "/data\npg1-socket-path=" << cluster.dir()
                            << "\npg1-port=" << cluster.port() << "\n";
    GiveToServer(config());
  }

  // pgbackrest `args` as the OS user the server runs as (it reads the data
  // directory); throws with its output when it fails.
  void Run(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {"pgbackrest", "--config=" + config(), "--stanza=pgposture"};
    if (geteuid() == 0) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    argv.insert(argv.end(), args.begin(), args.end());
    const ProcessResult result = RunProcess({argv}, 120s);
    if (result.exit_code != 0)
      throw std::runtime_error("pgbackrest " + args.front() + ": " + result.err + result.out);
  }

 private:
  static void GiveToServer(const std::string& path) {
    if (geteuid() == 0) RunProcess({{"chown", "postgres:", path}}, 10s);
  }

  std::string dir_;
};

TEST(BackupTest, PgbackrestReportsTheLastBaseBackup) {
  PgbackrestRepository repository;
  PgClusterOptions options;
  options.conf_lines = {"wal_level = replica", "archive_mode = on",
                        "archive_command = 'pgbackrest --config=" + repository.config() +
                            " --stanza=pgposture archive-push %p'"};
  AuditedCluster audited(options);
  repository.Configure(audited.cluster());
  repository.Run({"stanza-create"});
  const auto before_backup = std::chrono::system_clock::now();
  repository.Run({"backup", "--type=full"});

  // The agent's own pgbackrest finds the repository through its environment.
  setenv("PGBACKREST_CONFIG", repository.config().c_str(), 1);
  TargetConfig target = audited.Target("db");
  target.pgbackrest_stanza = "pgposture";
  const auto postures = CollectOnce({target});
  unsetenv("PGBACKREST_CONFIG");

  const v1::DatabasePosture& posture = postures.at("targets/db/databases/postgres");
  for (const v1::CollectorError& error : posture.collection().collector_errors()) {
    ADD_FAILURE() << error.collector() << ": " << error.message();
  }
  const v1::BackupFacts& backup = posture.backup();
  EXPECT_EQ(backup.archive_tool(), v1::ARCHIVE_TOOL_PGBACKREST);
  EXPECT_GT(backup.archived_count(), 0) << "the backup waits for its WAL to be archived";
  EXPECT_EQ(backup.mode(), v1::BACKUP_MODE_PITR);
  ASSERT_TRUE(backup.has_last_base_backup());
  EXPECT_EQ(backup.last_base_backup().tool(), "pgbackrest");
  EXPECT_EQ(backup.last_base_backup().type(), "full");
  const int64_t finished = TimeUtil::TimestampToSeconds(backup.last_base_backup().finished_at());
  EXPECT_GE(finished,
            std::chrono::duration_cast<std::chrono::seconds>(before_backup.time_since_epoch()).count() - 1);
  EXPECT_LE(finished, TimeUtil::TimestampToSeconds(TimeUtil::GetCurrentTime()));
}

TEST(BackupTest, PgbackrestFailureIsACollectorErrorNotAFailedCollection) {
  AuditedCluster audited;
  setenv("PGBACKREST_CONFIG", "/nonexistent/pgbackrest.conf", 1);
  TargetConfig target = audited.Target("db");
  target.pgbackrest_stanza = "pgposture";
  const auto postures = CollectOnce({target});
  unsetenv("PGBACKREST_CONFIG");

  const v1::DatabasePosture& posture = postures.at("targets/db/databases/postgres");
  EXPECT_FALSE(posture.collection().stale());
  ASSERT_EQ(posture.collection().collector_errors_size(), 1);
  EXPECT_EQ(posture.collection().collector_errors(0).collector(), "pgbackrest");
  EXPECT_NE(posture.collection().collector_errors(0).message().find(
                "pgbackrest info for stanza pgposture exited with 55: ERROR: [055]"),
            std::string::npos)
      << posture.collection().collector_errors(0).message();
  EXPECT_FALSE(posture.backup().has_last_base_backup());
  EXPECT_EQ(posture.backup().mode(), v1::BACKUP_MODE_NONE) << "the other backup facts are still there";
}

}  // namespace
}  // namespace pgposture::testing
