#include "tests/bench/bench_support.h"

#include <dirent.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "agent/install/installer.h"

namespace pgposture::bench {
namespace {

using namespace std::chrono_literals;

// CREATE DATABASE statements per psql run: FILE_COPY checkpoints around each
// copy, so this bounds one run well within the harness's script timeout.
constexpr int kCreateBatch = 100;
constexpr char kTemplate[] = "bench_template";

testing::PgClusterOptions FleetOptions(int max_databases) {
  testing::PgClusterOptions options;
  options.conf_lines = {
      // A session per database for each auditor, and some for the bench.
      "max_connections = " + std::to_string(2 * max_databases + 50),
      // PostgreSQL's default. The harness's 16 MB keeps test clusters small;
      // no server holds 1,000 databases with it, and with it the catalog
      // pages each database's collection reads are read in again every cycle.
      "shared_buffers = 128MB",
      "shared_preload_libraries = 'pgaudit,pg_stat_statements'",
      "pg_stat_statements.track = all",
      "pg_stat_statements.track_planning = on",
      // An entry per statement per database: room for every one, so none is
      // evicted and the totals stay whole.
      "pg_stat_statements.max = " + std::to_string(std::max(5000, 40 * max_databases)),
  };
  return options;
}

double StatusKb(const std::string& status, const std::string& field) {
  const size_t at = status.find(field + ":");
  return at == std::string::npos ? 0 : std::stod(status.substr(at + field.size() + 1));
}

// The value of `label="..."` in a series' label set, or "".
std::string LabelValue(const std::string& labels, const std::string& label) {
  const std::string key = label + "=\"";
  for (size_t at = labels.find(key); at != std::string::npos; at = labels.find(key, at + 1)) {
    if (at > 0 && labels[at - 1] != ',') continue;  // the end of another label's name
    const size_t begin = at + key.size();
    return labels.substr(begin, labels.find('"', begin) - begin);
  }
  return "";
}

}  // namespace

ProcessUsage ReadProcessUsage(pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  ProcessUsage usage;
  std::ifstream stat_file(proc + "/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  if (stat.find(')') == std::string::npos) {
    throw std::runtime_error("process " + std::to_string(pid) + " is gone");
  }
  // Fields after the command name, which may hold spaces: state is field 3,
  // utime and stime are fields 14 and 15.
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int number = 3; number <= 15 && fields >> field; ++number) {
    if (number >= 14) ticks += std::stod(field);
  }
  usage.cpu_seconds = ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream status_file(proc + "/status");
  const std::string status((std::istreambuf_iterator<char>(status_file)), std::istreambuf_iterator<char>());
  usage.rss_mb = StatusKb(status, "VmRSS") / 1024;
  usage.anon_rss_mb = StatusKb(status, "RssAnon") / 1024;
  usage.peak_rss_mb = StatusKb(status, "VmHWM") / 1024;
  if (DIR* fds = opendir((proc + "/fd").c_str())) {
    while (const dirent* entry = readdir(fds)) usage.open_files += entry->d_name[0] != '.';
    closedir(fds);
  }
  return usage;
}

double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5)];
}

double Slope(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = std::min(x.size(), y.size());
  if (n < 2) return 0;
  const double mean_x = std::accumulate(x.begin(), x.begin() + n, 0.0) / n;
  const double mean_y = std::accumulate(y.begin(), y.begin() + n, 0.0) / n;
  double covariance = 0;
  double variance = 0;
  for (size_t i = 0; i < n; ++i) {
    covariance += (x[i] - mean_x) * (y[i] - mean_y);
    variance += (x[i] - mean_x) * (x[i] - mean_x);
  }
  return variance == 0 ? 0 : covariance / variance;
}

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

const char* Verdict(bool met) { return met ? "met" : "NOT met"; }

FleetCluster::FleetCluster(int max_databases) : cluster_(FleetOptions(max_databases)) {
  for (const char* role : {kAgentRole, kPeerRole}) {
    cluster_.Psql(std::string("CREATE ROLE ") + role + " LOGIN PASSWORD '" + kPassword +
                  "' IN ROLE pg_monitor, pg_read_all_settings");
  }
  cluster_.Psql("CREATE EXTENSION pg_stat_statements; CREATE EXTENSION pgaudit");
  Install(cluster_.Dsn(), kAgentRole);
  // Each database as a team would have it: pgaudit and pgposture's DDL
  // capture installed. A template database is left out of discovery.
  cluster_.Psql(std::string("CREATE DATABASE ") + kTemplate);
  cluster_.Psql("CREATE EXTENSION pgaudit", kTemplate);
  Install(cluster_.Dsn(kTemplate), kAgentRole);
  cluster_.Psql(std::string("ALTER DATABASE ") + kTemplate + " IS_TEMPLATE true");
}

void FleetCluster::GrowTo(int databases) {
  while (databases_ < databases) {
    std::string batch;
    for (int i = 0; i < kCreateBatch && databases_ < databases; ++i, ++databases_) {
      batch +=
          "CREATE DATABASE " + DatabaseName(databases_) + " TEMPLATE " + kTemplate + " STRATEGY FILE_COPY;\n";
    }
    cluster_.Psql(batch);
  }
  // With fsync off, the copies wait in the page cache, several GB at 1,000
  // databases, until the kernel writes them back: wait for that here, so
  // the sweeps measured next do not share the machine with it.
  sync();
}

std::vector<std::string> FleetCluster::Databases() const {
  std::vector<std::string> names{"postgres"};
  for (int i = 1; i < databases_; ++i) names.push_back(DatabaseName(i));
  return names;
}

std::set<std::string> FleetCluster::ResourceNames(const std::string& target) const {
  std::set<std::string> names;
  for (const std::string& database : Databases()) names.insert(ResourceName(target, database));
  return names;
}

std::string FleetCluster::AllDatabasesTarget(const std::string& target) const {
  return AgentDaemon::Target(target, cluster_.Dsn("postgres", kAgentRole), "    databases: all\n");
}

std::string FleetCluster::DatabaseName(int index) {
  char name[16];
  std::snprintf(name, sizeof(name), "d%04d", index);
  return name;
}

int FleetCluster::SessionsOf(const std::string& role) const {
  return std::stoi(
      cluster_.PsqlValue("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + role + "'"));
}

int FleetCluster::DatabasesWithSessionsOf(const std::string& role) const {
  return std::stoi(cluster_.PsqlValue(
      "SELECT count(DISTINCT datname) FROM pg_stat_activity WHERE usename = '" + role + "'"));
}

StatementTotals FleetCluster::StatementsOf(const std::string& role) const {
  const std::string row = cluster_.PsqlValue(
      "SELECT coalesce(sum(calls), 0) || ' ' || coalesce(sum(total_plan_time), 0) || ' ' || "
      "coalesce(sum(total_exec_time), 0) || ' ' || coalesce(sum(shared_blks_hit), 0) || ' ' || "
      "coalesce(sum(shared_blks_read), 0) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid "
      "WHERE s.toplevel AND r.rolname = '" +
      role + "'");
  StatementTotals totals;
  std::istringstream(row) >> totals.calls >> totals.plan_ms >> totals.exec_ms >> totals.blocks_hit >>
      totals.blocks_read;
  return totals;
}

double FleetCluster::BackendCpuMs(const std::string& role) const {
  std::istringstream pids(cluster_.PsqlValue(
      "SELECT string_agg(pid::text, ' ') FROM pg_stat_activity WHERE usename = '" + role + "'"));
  double nanoseconds = 0;
  for (std::string pid; pids >> pid;) {
    std::ifstream schedstat("/proc/" + pid + "/schedstat");
    double on_cpu = 0;
    if (schedstat >> on_cpu) nanoseconds += on_cpu;
  }
  return nanoseconds / 1e6;
}

void FleetCluster::ResetStatements() const { cluster_.PsqlValue("SELECT pg_stat_statements_reset()"); }

long FleetCluster::EvictedStatements() const {
  return std::stol(cluster_.PsqlValue("SELECT dealloc FROM pg_stat_statements_info"));
}

std::string ResourceName(const std::string& target, const std::string& database) {
  return "targets/" + target + "/databases/" + database;
}

AgentDaemon::AgentDaemon(const std::string& targets_yaml, std::chrono::seconds interval,
                         std::chrono::seconds timeout, const std::string& more_yaml) {
  const std::string config = testing::WriteTempFile(
      "pgposture.yml", "agent:\n  interval: " + std::to_string(interval.count()) +
                           "s\n  timeout: " + std::to_string(timeout.count()) +
                           "s\nlisten:\n  metrics: \"127.0.0.1:0\"\n  grpc: \"127.0.0.1:0\"\n" + more_yaml +
                           "targets:\n" + targets_yaml);
  std::ofstream(config.substr(0, config.rfind('/')) + "/agent.password") << kPassword << "\n";
  daemon_ = std::make_unique<testing::Daemon>(config);
  const std::string& url = daemon_->metrics_url();
  metrics_port_ = std::stoi(url.substr(url.rfind(':') + 1));
  stub_ = v1::PostureService::NewStub(
      grpc::CreateChannel(daemon_->grpc_address(), grpc::InsecureChannelCredentials()));
}

std::string AgentDaemon::Target(const std::string& name, const std::string& dsn, const std::string& extra) {
  return "  - name: " + name + "\n    dsn: \"" + dsn + "\"\n    password_file: agent.password\n" + extra;
}

testing::HttpResponse AgentDaemon::Scrape() const {
  return testing::HttpFetch("127.0.0.1", metrics_port_, "/metrics");
}

std::map<std::string, Collection> AgentDaemon::Collections() const {
  const std::string body = Scrape().body;
  std::map<std::string, Collection> collections;
  std::istringstream lines(body);
  std::string line;
  const std::map<std::string, double Collection::*> families{
      {"pgposture_last_success_timestamp_seconds{", &Collection::started},
      {"pgposture_collection_duration_seconds{", &Collection::seconds},
  };
  while (std::getline(lines, line)) {
    const size_t open = line.find('{');
    const size_t close = line.rfind('}');
    if (open == std::string::npos || close == std::string::npos) continue;
    const std::string family = line.substr(0, open + 1);
    const bool up = family == "pgposture_up{";
    const auto field = families.find(family);
    if (!up && field == families.end()) continue;
    const std::string labels = line.substr(open + 1, close - open - 1);
    Collection& collection =
        collections[ResourceName(LabelValue(labels, "target"), LabelValue(labels, "database"))];
    const double value = std::stod(line.substr(close + 2));
    if (up) {
      collection.up = value == 1;
    } else {
      collection.*(field->second) = value;
    }
  }
  return collections;
}

std::vector<v1::DatabaseSummary> AgentDaemon::Summaries() const {
  std::vector<v1::DatabaseSummary> summaries;
  v1::ListTargetsRequest request;
  request.set_page_size(1000);
  do {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    v1::ListTargetsResponse response;
    const grpc::Status status = stub_->ListTargets(&context, request, &response);
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE) return {};  // before the first cycle ends
    if (!status.ok()) throw std::runtime_error("ListTargets failed: " + status.error_message());
    for (const v1::Target& target : response.targets()) {
      summaries.insert(summaries.end(), target.databases().begin(), target.databases().end());
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return summaries;
}

v1::DatabasePosture AgentDaemon::Posture(const std::string& target, const std::string& database) const {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 10s);
  v1::GetPostureRequest request;
  request.set_name(ResourceName(target, database));
  v1::DatabasePosture posture;
  const grpc::Status status = stub_->GetPosture(&context, request, &posture);
  if (!status.ok())
    throw std::runtime_error("GetPosture " + request.name() + " failed: " + status.error_message());
  return posture;
}

Sweep AgentDaemon::WaitForSweep(const std::set<std::string>& databases, double after,
                                std::chrono::seconds within) const {
  const auto deadline = std::chrono::steady_clock::now() + within;
  Sweep sweep;
  for (;;) {
    size_t done = 0;
    sweep.latest_start = 0;
    for (const v1::DatabaseSummary& summary : Summaries()) {
      const double started =
          static_cast<double>(summary.last_success_at().seconds()) + summary.last_success_at().nanos() / 1e9;
      if (!databases.count(summary.name()) || summary.stale() || started <= after) continue;
      ++done;
      sweep.latest_start = std::max(sweep.latest_start, started);
    }
    if (done == databases.size()) break;
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("only " + std::to_string(done) + " of " + std::to_string(databases.size()) +
                               " databases collected anew within " + std::to_string(within.count()) + " s");
    }
    std::this_thread::sleep_for(250ms);
  }
  // Durations are on /metrics only; its timestamps are rounded, so the next
  // sweep is told apart with the exact ones from gRPC above.
  sweep.started = 1e300;
  for (const auto& [name, collection] : Collections()) {
    if (!databases.count(name)) continue;
    sweep.started = std::min(sweep.started, collection.started);
    sweep.ended = std::max(sweep.ended, collection.started + collection.seconds);
  }
  return sweep;
}

void AgentDaemon::Stop() {
  daemon_->process().Kill(SIGTERM);
  if (!daemon_->process().Wait(30s))
    throw std::runtime_error("pgposture run still running 30 s after SIGTERM");
}

std::vector<double> TimedScrapes(int port, int scrapes, std::chrono::seconds budget, size_t& payload_bytes) {
  std::vector<double> latencies;
  const auto deadline = std::chrono::steady_clock::now() + budget;
  while (static_cast<int>(latencies.size()) < scrapes &&
         (latencies.size() < 3 || std::chrono::steady_clock::now() < deadline)) {
    const auto started = std::chrono::steady_clock::now();
    const testing::HttpResponse response = testing::HttpFetch("127.0.0.1", port, "/metrics");
    latencies.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    if (response.status != 200) {
      throw std::runtime_error("GET /metrics on port " + std::to_string(port) + " answered " +
                               std::to_string(response.status));
    }
    payload_bytes = response.body.size();
  }
  return latencies;
}

}  // namespace pgposture::bench
