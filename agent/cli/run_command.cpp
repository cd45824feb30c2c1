// `pgposture run`: the daemon.
#include <prometheus/exposer.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstring>
#include <future>
#include <iostream>
#include <thread>

#include "agent/cli/commands.h"
#include "agent/collect/scheduler.h"
#include "agent/config/config_loader.h"
#include "agent/logging.h"
#include "agent/version.h"
#include "exporters/prometheus/metrics_collectable.h"

namespace pgposture {
namespace {

constexpr int kExitCannotListen = 71;  // EX_OSERR
// In-flight collections get this long to finish after SIGTERM; the rest of
// the 5 s shutdown budget is for joining and exiting.
constexpr std::chrono::seconds kStopGrace{4};
constexpr std::chrono::seconds kJoinGrace{1};

// "127.0.0.1:0" -> "127.0.0.1:<port the kernel chose>".
std::string BoundAddress(const std::string& configured, const prometheus::Exposer& exposer) {
  const std::vector<int> ports = exposer.GetListeningPorts();
  if (ports.empty()) return configured;
  return configured.substr(0, configured.rfind(':') + 1) + std::to_string(ports.front());
}

}  // namespace

int RunDaemon(const std::string& config_path, const std::optional<std::string>& log_level) {
  Config config;
  try {
    config = LoadConfig(config_path);
  } catch (const ConfigError& error) {
    std::cerr << "pgposture: " << error.what() << "\n";
    return kExitConfig;
  }
  SetupLogging(log_level.value_or(config.agent.log_level));
  auto log = spdlog::get("agent");

  // Blocked before any thread starts, so that only sigwait() below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, signal);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  SnapshotStore store;
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    exposer = std::make_unique<prometheus::Exposer>(config.listen.metrics);
  } catch (const std::exception& error) {
    log->error("cannot listen on {} for metrics: {}", config.listen.metrics, error.what());
    return kExitCannotListen;
  }
  auto metrics = std::make_shared<PostureMetrics>(store, BuildInfo{kVersion, kGitRevision});
  exposer->RegisterCollectable(metrics);
  log->info("pgposture {} ({}) auditing {} target(s); metrics on http://{}/metrics", kVersion, kGitRevision,
            config.targets.size(), BoundAddress(config.listen.metrics, *exposer));

  Scheduler scheduler(config, store, /*backoff=*/true);
  std::promise<void> finished;
  std::future<void> done = finished.get_future();
  std::thread runner([&] {
    scheduler.Run();
    finished.set_value();
  });

  while (true) {
    int received = 0;
    sigwait(&signals, &received);
    if (received == SIGHUP) {
      log->warn("SIGHUP ignored: configuration reload is not supported yet, restart to apply changes");
      continue;
    }
    log->info("{} received, shutting down", strsignal(received));
    break;
  }
  scheduler.Stop(kStopGrace);
  if (done.wait_for(kJoinGrace) != std::future_status::ready) {
    // A connection attempt that cannot be interrupted is still running; the
    // kernel closes its socket when we exit.
    log->warn("abandoning collections still connecting");
    spdlog::shutdown();
    std::_Exit(kExitOk);
  }
  runner.join();
  log->info("stopped");
  return kExitOk;
}

}  // namespace pgposture
