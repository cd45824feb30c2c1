#include "tests/integration/audited_cluster.h"

#include <stdexcept>
#include <thread>

#include "agent/install/installer.h"

namespace pgposture::testing {
namespace {

constexpr const char* kAgentPassword = "agent-pw-5d1e";

}  // namespace

AuditedCluster::AuditedCluster(PgClusterOptions options)
    : cluster_(std::make_unique<PgCluster>(std::move(options))) {
  cluster_->Psql(std::string("CREATE ROLE pgposture LOGIN PASSWORD '") + kAgentPassword + "'");
  Install(cluster_->Dsn(), "pgposture");
}

TargetConfig AuditedCluster::Target(const std::string& name, const std::string& database,
                                    const std::string& environment) const {
  TargetConfig target;
  target.name = name;
  // Inline only here: the configuration file refuses a password in a dsn.
  target.dsn = cluster_->Dsn(database, "pgposture") + " password=" + kAgentPassword;
  target.environment = environment;
  return target;
}

CyclingAgent::CyclingAgent(const std::vector<TargetConfig>& targets) {
  Config config;
  config.agent.timeout = std::chrono::seconds(10);
  config.targets = targets;
  scheduler_ = std::make_unique<Scheduler>(config, store_, /*backoff=*/false);
}

std::map<std::string, v1::DatabasePosture> CyclingAgent::Cycle() {
  scheduler_->RunCycle();
  std::map<std::string, v1::DatabasePosture> postures;
  for (const DatabaseSnapshot& snapshot : store_.List()) {
    postures[snapshot.database->name()] = MergedPosture(snapshot);
  }
  return postures;
}

std::map<std::string, v1::DatabasePosture> CollectOnce(const std::vector<TargetConfig>& targets) {
  return CyclingAgent(targets).Cycle();
}

const v1::Finding& FindingOf(const v1::DatabasePosture& posture, const std::string& check_id) {
  for (const v1::Finding& finding : posture.findings()) {
    if (finding.check_id() == check_id) return finding;
  }
  throw std::runtime_error("no finding " + check_id + " for " + posture.name());
}

void WaitFor(const std::string& what, const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("timed out waiting for " + what);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace pgposture::testing
