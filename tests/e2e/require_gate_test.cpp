// `pgposture check --require LEVEL` as a CI gate, decided by the backup and
// migration-history facts.
#include <gtest/gtest.h>

#include "tests/e2e/pgposture_binary.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture::testing {
namespace {

constexpr const char* kAgentPassword = "agent-pw-2b8c";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RequireGateTest, MigrationHistoryAndArchivingDecideTheExitCode) {
  PgCluster cluster;  // no WAL archiving
  cluster.Psql(std::string("CREATE ROLE pgposture LOGIN PASSWORD '") + kAgentPassword + "'");
  const ProcessResult install =
      RunPgposture({"install", "--dsn", cluster.Dsn(), "--agent-role", "pgposture"});
  ASSERT_EQ(install.exit_code, 0) << install.err << install.out;
  const std::vector<std::string> check = {"check", "--dsn", cluster.Dsn("postgres", "pgposture")};
  const std::vector<std::string> env = {std::string("PGPASSWORD=") + kAgentPassword};

  // No migration tool: not even collaborating.
  std::vector<std::string> args = check;
  args.insert(args.end(), {"--require", "collaborating"});
  ProcessResult run = RunPgposture(args, env);
  EXPECT_EQ(run.exit_code, 1) << run.err << run.out;
  EXPECT_TRUE(Contains(run.out, "  migrations: no history table\n")) << run.out;
  EXPECT_TRUE(Contains(run.out, "[FAIL] migrations.history_table_exists")) << run.out;

  // A flyway history the agent may read lets the gate open.
  cluster.Psql(
      "CREATE TABLE public.flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50),"
      " description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL,"
      " checksum int, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(),"
      " execution_time int NOT NULL, success boolean NOT NULL);"
      "INSERT INTO public.flyway_schema_history VALUES (1, '1', 'init', 'SQL', 'V1__init.sql', 1, 'ci', "
      "now(),"
      " 5, true);"
      "GRANT SELECT ON public.flyway_schema_history TO pgposture;");
  run = RunPgposture(args, env);
  EXPECT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_TRUE(Contains(run.out, "    flyway public.flyway_schema_history: latest 1 (")) << run.out;
  EXPECT_TRUE(Contains(run.out, "[pass] migrations.history_table_exists")) << run.out;

  // Production needs point-in-time recovery, which this cluster lacks.
  args = check;
  args.insert(args.end(), {"--require", "production"});
  run = RunPgposture(args, env);
  EXPECT_EQ(run.exit_code, 1) << run.err << run.out;
  EXPECT_TRUE(
      Contains(run.out, "  backup: mode none, wal_level replica, archive_mode off, archive tool none\n"))
      << run.out;
  EXPECT_TRUE(Contains(run.out, "[FAIL] backup.pitr: WAL archiving is on and healthy")) << run.out;
  EXPECT_TRUE(Contains(run.out, "WAL is not archived: archive_mode is off")) << run.out;
  EXPECT_TRUE(Contains(run.out, "fix: set wal_level = replica, archive_mode = on")) << run.out;
}

}  // namespace
}  // namespace pgposture::testing
