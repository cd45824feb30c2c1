#include "agent/collect/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "agent/collect/collector_options_from_config.h"
#include "agent/collect/reload_plan.h"
#include "agent/eval/environment_flow.h"
#include "agent/eval/maturity.h"

namespace pgposture {
namespace {

// lock_timeout is a share of the deadline, so a database with a lock held on
// a catalog the queries read fails on lock_timeout with a clear error before
// the deadline watcher has to break its session.
constexpr int kLockTimeoutShare = 4;
constexpr std::chrono::milliseconds kMinLockTimeout{100};

}  // namespace

Scheduler::Scheduler(const Config& config, SnapshotStore& store, bool backoff)
    : config_(config),
      store_(store),
      backoff_(backoff),
      pool_(std::make_unique<WorkPool>(config.agent.concurrency)) {
  for (const TargetConfig& target : config_.targets) {
    targets_.push_back(std::make_unique<AuditedTarget>(target, CollectorOptionsFor(config_, target)));
  }
}

Scheduler::~Scheduler() {
  // Joins the workers before the watcher and targets they use go away.
  pool_.reset();
}

CollectionContext Scheduler::ContextFor(const AuditedTarget& target) {
  CollectionContext context;
  context.target = &target.config();
  context.timeout = config_.agent.timeout;
  context.limits.connect_timeout = config_.agent.timeout;
  context.limits.statement_timeout = config_.agent.timeout;
  context.limits.lock_timeout = std::max(kMinLockTimeout, config_.agent.timeout / kLockTimeoutShare);
  context.required_level = v1::MATURITY_LEVEL_PROTOTYPING;
  const auto required = config_.policy.required_levels.find(target.config().environment);
  if (required != config_.policy.required_levels.end()) {
    context.required_level = ParseMaturityLevel(required->second).value_or(v1::MATURITY_LEVEL_PROTOTYPING);
  }
  context.watcher = &watcher_;
  context.backoff = backoff_;
  context.stopping = &stopping_;
  return context;
}

void Scheduler::RunCycle() { RunCycle(RunHooks{}); }

void Scheduler::RunCycle(const RunHooks& hooks) {
  std::lock_guard<std::timed_mutex> collecting(collecting_);
  std::vector<CollectionContext> contexts;
  contexts.reserve(targets_.size());
  for (const auto& target : targets_) contexts.push_back(ContextFor(*target));

  // Healthy targets first: a failing one may hang until its deadline, holding
  // a worker, and the healthy ones must not queue behind it.
  std::vector<size_t> order(targets_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_partition(order.begin(), order.end(), [this](size_t i) { return !targets_[i]->failing(); });

  TaskGroup group;
  for (size_t i : order) {
    AuditedTarget* target = targets_[i].get();
    const CollectionContext* context = &contexts[i];
    group.Add();
    pool_->Submit([this, target, context, &group] {
      if (!stopping_) target->CollectCycle(*context, *pool_, group, store_);
      group.Done();
    });
  }
  // Every collection ends by its deadline, so a cycle whose tasks stop
  // finishing is hung: then `alive` is not called and the watchdog fires.
  int done = 0;
  while (!group.WaitFor(hooks.alive_every)) {
    if (group.done() > done) hooks.alive();
    done = group.done();
  }
  // Needs every target's snapshot of this cycle.
  RefreshEnvironmentFlow(store_);
}

void Scheduler::Run(const RunHooks& hooks) {
  auto log = spdlog::get("scheduler");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = true;
  }
  while (!stopping_) {
    ApplyPendingConfig();
    const auto started = std::chrono::steady_clock::now();
    RunCycle(hooks);
    hooks.cycle_finished();
    if (!store_.ready()) {
      store_.MarkReady();
      if (log) log->info("first collection cycle finished");
      hooks.ready();
    }
    std::unique_lock<std::mutex> lock(mutex_);
    const auto next = started + config_.agent.interval;
    while (!stopping_ && !pending_config_ && std::chrono::steady_clock::now() < next) {
      wake_.wait_until(lock, std::min(next, std::chrono::steady_clock::now() + hooks.alive_every));
      hooks.alive();
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  running_ = false;
  wake_.notify_all();
}

void Scheduler::Reload(const Config& config) {
  std::lock_guard<std::mutex> lock(mutex_);
  pending_config_ = config;
  wake_.notify_all();
}

void Scheduler::ApplyPendingConfig() {
  std::optional<Config> next;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    next.swap(pending_config_);
  }
  if (!next) return;
  std::lock_guard<std::timed_mutex> collecting(collecting_);
  std::vector<std::unique_ptr<AuditedTarget>> targets;
  std::set<std::string> names;
  int kept = 0;
  for (const TargetConfig& target : next->targets) {
    CollectorOptions options = CollectorOptionsFor(*next, target);
    const auto old = std::find_if(targets_.begin(), targets_.end(), [&](const auto& candidate) {
      return candidate && SameTarget(candidate->config(), target) &&
             SameOptions(candidate->options(), options);
    });
    if (old != targets_.end()) {
      targets.push_back(std::move(*old));
      ++kept;
    } else {
      targets.push_back(std::make_unique<AuditedTarget>(target, std::move(options)));
    }
    names.insert(target.name);
  }
  const size_t before = targets_.size();
  targets_ = std::move(targets);
  if (next->agent.concurrency != config_.agent.concurrency) {
    // Idle between cycles, so replacing it loses no task.
    pool_ = std::make_unique<WorkPool>(next->agent.concurrency);
  }
  config_ = std::move(*next);
  store_.RetainTargets(names);
  if (auto log = spdlog::get("scheduler")) {
    log->info("configuration applied: {} target(s); {} kept, {} started (new or changed), {} stopped",
              targets_.size(), kept, targets_.size() - kept, before - kept);
  }
}

void Scheduler::Stop(std::chrono::milliseconds grace) {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  std::unique_lock<std::mutex> lock(mutex_);
  stopping_ = true;
  wake_.notify_all();
  const bool run_ended = wake_.wait_until(lock, deadline, [this] { return !running_; });
  lock.unlock();
  // An on-demand collection may be in flight outside any cycle.
  std::unique_lock<std::timed_mutex> collecting(collecting_, std::defer_lock);
  if (!run_ended || !collecting.try_lock_until(deadline)) watcher_.AbortAll();
}

CollectNowResult Scheduler::CollectNow(const std::string& target, const std::string& database,
                                       std::chrono::steady_clock::time_point deadline) {
  using Outcome = CollectNowResult::Outcome;
  // Also keeps ApplyPendingConfig() from replacing targets_ meanwhile.
  std::unique_lock<std::timed_mutex> collecting(collecting_, deadline);
  if (!collecting.owns_lock()) return {Outcome::kDeadlineExceeded, ""};
  if (stopping_) return {Outcome::kStopping, ""};
  const auto audited = std::find_if(targets_.begin(), targets_.end(), [&](const auto& candidate) {
    return candidate->config().name == target;
  });
  if (audited == targets_.end()) return {Outcome::kUnknown, ""};

  CollectionContext context = ContextFor(**audited);
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left <= std::chrono::milliseconds::zero()) return {Outcome::kDeadlineExceeded, ""};
  context.timeout = std::min(context.timeout, left);
  context.limits.connect_timeout = context.timeout;
  context.backoff = false;
  const CollectNowResult result = (*audited)->CollectNow(database, context, store_);
  // A staging database collected now changes how its prod siblings compare.
  RefreshEnvironmentFlow(store_);
  return result;
}

}  // namespace pgposture
