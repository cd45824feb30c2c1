#include "tests/harness/pg_cluster.h"

#include <stdlib.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "tests/harness/process.h"

namespace pgposture::testing {
namespace {

constexpr char kScript[] = PGPOSTURE_SOURCE_DIR "/scripts/pgcluster.sh";
// Generous: the first cluster on a machine runs initdb for the template while
// parallel test processes queue behind it, all on two busy cores.
constexpr std::chrono::seconds kScriptTimeout{120};

}  // namespace

PgCluster::PgCluster(PgClusterOptions options) {
  // Short and under /tmp: the Unix socket path has a 107-byte limit, and when
  // running as root the postgres user must be able to reach the directory.
  char dir_template[] = "/tmp/pgp-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  }
  dir_ = dir_template;

  std::vector<std::string> args = {"start", dir_};
  if (options.pgaudit) args.push_back("--pgaudit");
  if (options.archiving) args.push_back("--archive");
  for (const std::string& line : options.conf_lines) {
    args.insert(args.end(), {"--conf", line});
  }
  if (options.hba) {
    const std::string hba_file = dir_ + "/requested_pg_hba.conf";
    std::ofstream(hba_file) << *options.hba;
    args.insert(args.end(), {"--hba-file", hba_file});
  }
  if (options.ssl_dir) args.insert(args.end(), {"--ssl-dir", *options.ssl_dir});
  try {
    StartWith(args);
  } catch (...) {
    Destroy();  // a constructor that throws gets no destructor call
    throw;
  }
}

PgCluster::~PgCluster() { Destroy(); }

std::string PgCluster::Dsn(const std::string& dbname, const std::string& user) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=" + dbname + " user=" + user;
}

void PgCluster::Psql(const std::string& sql, const std::string& dbname) const {
  // On stdin rather than with -c, which would run all statements in one
  // transaction and refuse CREATE DATABASE and friends.
  RunScript({"psql", dir_, "--dbname=" + dbname}, sql);
}

std::string PgCluster::PsqlValue(const std::string& sql, const std::string& dbname) const {
  std::string value = RunScript({"psql", dir_, "--dbname=" + dbname, "-tA"}, sql);
  if (!value.empty() && value.back() == '\n') value.pop_back();
  return value;
}

void PgCluster::Destroy() noexcept {
  try {
    RunScript({"destroy", dir_});
  } catch (...) {
    // Leaves a directory in /tmp behind, which must not fail the test.
  }
}

void PgCluster::Stop() { RunScript({"stop", dir_}); }

void PgCluster::Start() { StartWith({"start", dir_}); }

void PgCluster::Restart() { StartWith({"restart", dir_}); }

std::string PgCluster::RunScript(const std::vector<std::string>& args, const std::string& input) const {
  Command command{{kScript}, {}, input};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  const ProcessResult result = RunProcess(std::move(command), kScriptTimeout);
  if (result.exit_code != 0) {
    throw std::runtime_error("pgcluster.sh " + args.front() + " " + dir_ + " failed (exit " +
                             std::to_string(result.exit_code) + "):\n" + result.err);
  }
  return result.out;
}

void PgCluster::StartWith(const std::vector<std::string>& args) {
  const std::string out = RunScript(args);
  const std::string::size_type at = out.find("port=");
  if (at == std::string::npos) {
    throw std::runtime_error("pgcluster.sh " + args.front() + " reported no port: " + out);
  }
  port_ = std::stoi(out.substr(at + 5));
}

}  // namespace pgposture::testing
