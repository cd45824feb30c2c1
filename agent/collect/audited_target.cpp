#include "agent/collect/audited_target.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <set>

#include "agent/eval/environment_flow.h"
#include "agent/eval/evaluator.h"
#include "agent/eval/finding_changes.h"

namespace pgposture {

std::string PrimaryDatabase(const TargetConfig& target) {
  if (!target.all_databases && !target.databases.empty()) return target.databases.front();
  for (const char* keyword : {"dbname", "user"}) {
    std::string value = ConnInfoValue(target.dsn, keyword);
    if (!value.empty()) return value;
  }
  return "postgres";
}

AuditedTarget::AuditedTarget(TargetConfig config, CollectorOptions options)
    : config_(std::move(config)), options_(std::move(options)), primary_(PrimaryDatabase(config_)) {}

AuditedDatabase& AuditedTarget::Database(const std::string& name) {
  std::unique_ptr<AuditedDatabase>& slot = databases_[name];
  if (!slot) slot = std::make_unique<AuditedDatabase>(name, options_, name == primary_);
  return *slot;
}

std::vector<std::string> AuditedTarget::DatabasesAfter(const CollectionResult& primary) const {
  std::vector<std::string> names = config_.all_databases ? primary.discovered : config_.databases;
  names.erase(std::remove(names.begin(), names.end(), primary_), names.end());
  return names;
}

void AuditedTarget::CollectCycle(const CollectionContext& context, WorkPool& pool, TaskGroup& group,
                                 SnapshotStore& store) {
  CollectionResult primary = Database(primary_).Collect(context, config_.all_databases);
  if (!primary.ok) {
    const std::string why =
        "not collected: primary database " + primary_ + " failed: " + primary.database->collection().error();
    const v1::ErrorClass error_class = primary.database->collection().error_class();
    for (auto& [name, database] : databases_) {
      if (name != primary_) Publish(database->MarkFailed(context, error_class, why), context, store);
    }
    Publish(std::move(primary), context, store);
    return;
  }

  cluster_ = primary.cluster;
  const std::vector<std::string> others = DatabasesAfter(primary);
  std::set<std::string> current(others.begin(), others.end());
  current.insert(primary_);
  for (auto it = databases_.begin(); it != databases_.end();) {
    it = current.count(it->first) ? std::next(it) : databases_.erase(it);
  }
  store.Retain(config_.name, current);
  Publish(std::move(primary), context, store);

  for (const std::string& name : HealthyFirst(others)) {
    AuditedDatabase* database = &Database(name);
    group.Add();
    pool.Submit([this, database, &context, &group, &store] {
      if (!context.stopping->load()) Publish(database->Collect(context, /*discover=*/false), context, store);
      group.Done();
    });
  }
}

bool AuditedTarget::failing() const {
  const auto primary = databases_.find(primary_);
  return primary != databases_.end() && primary->second->failing();
}

std::vector<std::string> AuditedTarget::HealthyFirst(std::vector<std::string> names) {
  std::stable_partition(names.begin(), names.end(),
                        [this](const std::string& name) { return !Database(name).failing(); });
  return names;
}

CollectNowResult AuditedTarget::CollectNow(const std::string& name, const CollectionContext& context,
                                           SnapshotStore& store) {
  const bool primary = name == primary_;
  const bool listed = !config_.all_databases && std::find(config_.databases.begin(), config_.databases.end(),
                                                          name) != config_.databases.end();
  if (!primary && !listed && databases_.count(name) == 0) return {CollectNowResult::Outcome::kUnknown, ""};
  CollectionResult result = Database(name).Collect(context, /*discover=*/false);
  if (primary && result.ok) cluster_ = result.cluster;
  CollectNowResult outcome{CollectNowResult::Outcome::kCollected, ""};
  if (!result.ok) outcome = {CollectNowResult::Outcome::kFailed, result.database->collection().error()};
  Publish(std::move(result), context, store);
  return outcome;
}

namespace {

// One line per check whose status changed since the database's previous
// snapshot; nothing on the first, and nothing while its facts are stale.
void LogFindingChanges(const std::optional<DatabaseSnapshot>& previous, const v1::DatabasePosture& next) {
  if (!previous || next.collection().stale()) return;
  auto log = spdlog::get("agent");
  if (!log) return;
  for (const std::string& change : FindingChanges(*previous->database, next)) {
    log->info("{}: {}", next.name(), change);
  }
}

}  // namespace

void AuditedTarget::Publish(CollectionResult result, const CollectionContext& context,
                            SnapshotStore& store) const {
  const std::optional<DatabaseSnapshot> previous = store.Find(result.database->name());
  // Comparing prod with its staging siblings needs every target's snapshot:
  // RefreshEnvironmentFlow does it once after the cycle. Until then the
  // previous comparison stands, so findings do not flap, and a publish costs
  // no scan of the whole store.
  if (previous && previous->database->has_environment_flow()) {
    *result.database->mutable_environment_flow() = previous->database->environment_flow();
  } else {
    *result.database->mutable_environment_flow() = EnvironmentFlowOf(*result.database, {});
  }
  Evaluate(MergedPosture({cluster_, result.database}), context.required_level, *result.database);
  LogFindingChanges(previous, *result.database);
  store.Publish({cluster_, std::move(result.database)});
}

}  // namespace pgposture
