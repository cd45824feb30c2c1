// `pgposture run`: the daemon.
#include <malloc.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <future>
#include <iostream>
#include <optional>
#include <thread>

#include "agent/cli/commands.h"
#include "agent/collect/reload_plan.h"
#include "agent/collect/scheduler.h"
#include "agent/config/config_loader.h"
#include "agent/config/shard.h"
#include "agent/config/targets_file.h"
#include "agent/logging.h"
#include "agent/systemd_notifier.h"
#include "agent/version.h"
#include "exporters/grpc/grpc_server.h"
#include "exporters/prometheus/http_server.h"

namespace pgposture {
namespace {

constexpr int kExitCannotListen = 71;  // EX_OSERR
// In-flight collections get this long to finish after SIGTERM; the rest of
// the 5 s shutdown budget is for joining and exiting.
constexpr std::chrono::seconds kStopGrace{4};
constexpr std::chrono::seconds kJoinGrace{1};
// How often the targets file is looked at for changes.
constexpr std::chrono::seconds kTargetsFilePoll{1};
// gRPC calls still running this long after SIGTERM are cancelled; streams
// and on-demand collections end at once, reads take microseconds.
constexpr std::chrono::milliseconds kGrpcGrace{250};

// "127.0.0.1:0" -> "127.0.0.1:<port the kernel chose>".
std::string BoundAddress(const std::string& configured, const MetricsServer& server) {
  const std::vector<int> ports = server.ListeningPorts();
  if (ports.empty()) return configured;
  return configured.substr(0, configured.rfind(':') + 1) + std::to_string(ports.front());
}

GrpcServerOptions GrpcOptionsOf(const ListenSettings& listen) {
  GrpcServerOptions options;
  options.address = listen.grpc;
  options.tls_cert_file = listen.grpc_tls_cert_file;
  options.tls_key_file = listen.grpc_tls_key_file;
  options.tls_client_ca_file = listen.grpc_tls_client_ca_file;
  options.token_file = listen.grpc_token_file;
  options.collect_token_file = listen.grpc_collect_token_file;
  return options;
}

// SIGHUP: re-reads the configuration. An invalid one is logged and the
// running one kept; a valid one goes to the scheduler, which applies it
// between cycles. The listeners stay as they are.
void Reload(const std::string& config_path, const std::optional<std::string>& shard,
            const std::optional<std::string>& log_level, Config& running, Scheduler& scheduler,
            SystemdNotifier& notifier) {
  auto log = spdlog::get("agent");
  notifier.Reloading();
  try {
    Config next = LoadConfig(config_path);
    KeepOwnTargets(next, shard);
    if (!SameListeners(next.listen, running.listen)) {
      log->warn("listen settings changed: they apply at the next restart, the running listeners stay");
    }
    SetupLogging(log_level.value_or(next.agent.log_level), next.agent.log_format);
    scheduler.Reload(next);
    running = std::move(next);
    log->info("configuration reloaded from {}: {} target(s)", config_path, running.targets.size());
  } catch (const ConfigError& error) {
    log->error("configuration reload rejected, keeping the running one: {}", error.what());
  }
  notifier.Ready("reloaded");
}

bool IsLoopback(const std::string& address) {
  const std::string host = address.substr(0, address.rfind(':'));
  return host.rfind("127.", 0) == 0 || host == "[::1]" || host == "localhost";
}

// glibc's defaults suit short-lived processes; a daemon holding a fleet's
// sessions for weeks keeps whatever memory they leave behind. Each is left
// to its environment variable when that is set.
void TuneMalloc() {
  // glibc gives each allocating thread an arena of its own, up to eight per
  // core, and each keeps its freed blocks: with the collection workers and
  // the HTTP and gRPC threads that showed as 13 MB more RSS at 1,000
  // databases. The threads wait on sockets, not on malloc, so two arenas
  // cost no speed.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
  // The blocks of a megabyte or more are the texts a scrape is built from,
  // freed after every collection cycle. glibc maps such blocks on their own
  // and unmaps them when freed, but raises that threshold to the size of
  // each one freed: after the first cycle they come from the heap and stay
  // there, 5 MB more RSS at 1,000 databases. A fixed threshold keeps them
  // mapped, at the cost of a few mmap calls per cycle.
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) mallopt(M_MMAP_THRESHOLD, 1 << 20);
}

}  // namespace

int RunDaemon(const std::string& config_path, const std::optional<std::string>& log_level,
              const std::optional<std::string>& shard) {
  TuneMalloc();
  Config config;
  try {
    config = LoadConfig(config_path);
  } catch (const ConfigError& error) {
    std::cerr << "pgposture: " << error.what() << "\n";
    return kExitConfig;
  }
  KeepOwnTargets(config, shard);
  SetupLogging(log_level.value_or(config.agent.log_level), config.agent.log_format);
  auto log = spdlog::get("agent");

  // Blocked before any thread starts, so that only sigwait() below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, signal);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  SnapshotStore store;
  std::unique_ptr<MetricsServer> server;
  try {
    server = std::make_unique<MetricsServer>(config.listen.metrics, store, BuildInfo{kVersion, kGitRevision});
  } catch (const std::exception& error) {
    log->error("cannot listen on {} for metrics: {}", config.listen.metrics, error.what());
    return kExitCannotListen;
  }
  log->info("pgposture {} ({}) auditing {} target(s); metrics on http://{}/metrics", kVersion, kGitRevision,
            config.targets.size(), BoundAddress(config.listen.metrics, *server));

  Scheduler scheduler(config, store, /*backoff=*/true);
  std::unique_ptr<GrpcServer> grpc_server;
  try {
    grpc_server = std::make_unique<GrpcServer>(GrpcOptionsOf(config.listen), store, &scheduler);
  } catch (const std::exception& error) {
    log->error("cannot serve gRPC on {}: {}", config.listen.grpc, error.what());
    return kExitCannotListen;
  }
  log->info("grpc on {}{}", grpc_server->address(), grpc_server->tls() ? " (TLS)" : "");
  if (!grpc_server->tls() && config.listen.grpc_token_file.empty() && !IsLoopback(config.listen.grpc)) {
    log->warn(
        "grpc on {} without TLS or token: whoever reaches it reads every posture; set listen.grpc_tls "
        "and listen.grpc_auth",
        grpc_server->address());
  }
  SystemdNotifier notifier;
  RunHooks hooks;
  hooks.cycle_finished = [&server] {
    server->PrepareScrape();
    // A cycle and the scrape text's families free many small blocks across
    // the workers' malloc arenas; glibc keeps them mapped unless asked,
    // which a fleet's RSS would show as growth per database.
    malloc_trim(0);
  };
  hooks.ready = [&notifier] { notifier.Ready("auditing"); };
  hooks.alive = [&notifier] { notifier.Alive(); };
  if (notifier.alive_every()) hooks.alive_every = *notifier.alive_every();
  std::promise<void> finished;
  std::future<void> done = finished.get_future();
  std::thread runner([&] {
    scheduler.Run(hooks);
    finished.set_value();
  });

  // A targets file is polled while waiting for signals: a fleet tool that
  // rewrites it needs no SIGHUP.
  std::optional<FileChangeWatch> targets_watch;
  if (!config.targets_file.empty()) targets_watch.emplace(config.targets_file);
  while (true) {
    const timespec poll{kTargetsFilePoll.count(), 0};
    const int received = sigtimedwait(&signals, nullptr, &poll);
    if (received == SIGHUP || (received < 0 && targets_watch && targets_watch->Changed())) {
      if (received < 0) log->info("targets file {} changed", config.targets_file);
      Reload(config_path, shard, log_level, config, scheduler, notifier);
      targets_watch.reset();
      if (!config.targets_file.empty()) targets_watch.emplace(config.targets_file);
      continue;
    }
    if (received < 0) continue;
    log->info("{} received, shutting down", strsignal(received));
    break;
  }
  notifier.Stopping();
  const auto stop_deadline = std::chrono::steady_clock::now() + kStopGrace;
  grpc_server->Shutdown(kGrpcGrace);
  scheduler.Stop(std::chrono::duration_cast<std::chrono::milliseconds>(stop_deadline -
                                                                       std::chrono::steady_clock::now()));
  const auto join_deadline = std::chrono::steady_clock::now() + kJoinGrace;
  if (done.wait_until(join_deadline) != std::future_status::ready ||
      !grpc_server->WaitCollectsDone(join_deadline)) {
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
