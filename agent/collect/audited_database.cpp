#include "agent/collect/audited_database.h"

#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "agent/collect/discovery.h"
#include "agent/collect/password_file.h"
#include "agent/collect/work_pool.h"
#include "collectors/collector_runner.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

constexpr std::chrono::seconds kMaxBackoff{60};

std::shared_ptr<spdlog::logger> Log() {
  static const std::shared_ptr<spdlog::logger> fallback = spdlog::default_logger();
  std::shared_ptr<spdlog::logger> logger = spdlog::get("collector");
  return logger ? logger : fallback;
}

google::protobuf::Timestamp ToTimestamp(std::chrono::system_clock::time_point time) {
  return TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count());
}

google::protobuf::Duration SinceTimestamp(std::chrono::system_clock::time_point started) {
  return TimeUtil::NanosecondsToDuration(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now() - started)
          .count());
}

}  // namespace

std::string DatabaseResourceName(const std::string& target, const std::string& database) {
  return "targets/" + target + "/databases/" + database;
}

AuditedDatabase::AuditedDatabase(std::string name, const CollectorOptions& options, bool primary)
    : name_(std::move(name)),
      primary_(primary),
      cluster_collectors_(primary ? MakeCollectors(Scope::kCluster, options) : Collectors{}),
      database_collectors_(MakeCollectors(Scope::kDatabase, options)) {}

std::shared_ptr<v1::DatabasePosture> AuditedDatabase::StartPosture(const CollectionContext& context) const {
  auto posture = std::make_shared<v1::DatabasePosture>();
  posture->set_name(DatabaseResourceName(context.target->name, name_));
  posture->set_target(context.target->name);
  posture->set_database(name_);
  posture->set_environment(context.target->environment);
  posture->mutable_labels()->insert(context.target->labels.begin(), context.target->labels.end());
  return posture;
}

AuditedDatabase::Clock::duration AuditedDatabase::Connect(const CollectionContext& context) {
  if (session_ && session_->is_open()) {
    if (!session_->ClosedByServer()) return {};
    // Ended between collections (pg_terminate_backend, idle_session_timeout,
    // a restart): a new session now, rather than a failed collection and a
    // backoff for a database that is fine.
    Log()->info("{}: session closed by the server, reconnecting",
                DatabaseResourceName(context.target->name, name_));
  }
  session_.reset();
  std::optional<std::string> password;
  if (!context.target->password_file.empty()) password = ReadPasswordFile(context.target->password_file);
  const std::string conninfo = AgentConnInfo(context.target->dsn, name_, password, context.limits);
  // A server that accepts and never answers holds this until
  // connect_timeout, which cannot be cut short: meanwhile the worker's slot
  // goes to the next database, so such servers cannot stall the others.
  return WorkPool::Blocking([&] { session_ = std::make_unique<Session>(conninfo); });
}

CollectionResult AuditedDatabase::Collect(const CollectionContext& context, bool discover) {
  const auto started = std::chrono::system_clock::now();
  if (context.backoff && consecutive_failures_ > 0 && Clock::now() < next_connect_) {
    // Still backing off: report the failure that caused it, without a new try.
    return StaleResult(context, last_failure_, started);
  }
  Clock::time_point deadline = Clock::now() + context.timeout;
  CollectionResult result;
  result.database = StartPosture(context);
  bool expired = false;
  try {
    // Waiting for a worker slot after connecting is not the database's time.
    deadline += Connect(context);
    session_->ResetRoundTrips();
    DeadlineWatcher::Guard guard(*context.watcher, *session_, deadline);
    try {
      std::vector<TaggedQuery> along;
      if (discover) along.push_back(DiscoveryQuery());
      if (primary_) {
        // The primary reads its cluster's facts too, in the same round trips.
        result.cluster = std::make_shared<v1::DatabasePosture>();
        RunCollectors({{cluster_collectors_, *result.cluster}, {database_collectors_, *result.database}},
                      *session_, std::move(along));
      } else {
        RunCollectors({{database_collectors_, *result.database}}, *session_, std::move(along));
      }
      if (discover) result.discovered = DiscoverDatabases(*session_);
    } catch (const std::exception&) {
      expired = guard.expired();
      throw;
    }
  } catch (const std::exception& error) {
    session_.reset();
    const Failure failure =
        ClassifyFailure(error, {expired, ConnInfoValue(context.target->dsn, "sslmode") == "disable"});
    RecordFailure(context, failure);
    return StaleResult(context, failure, started);
  }

  v1::CollectionInfo& info = *result.database->mutable_collection();
  *info.mutable_collected_at() = ToTimestamp(started);
  *info.mutable_last_success_at() = info.collected_at();
  *info.mutable_duration() = SinceTimestamp(started);
  info.set_server_version_num(session_->server_version_num());
  info.set_round_trips(session_->round_trips());
  if (consecutive_failures_ > 0) {
    Log()->info("{}: collection recovered after {} failed attempt(s)", result.database->name(),
                consecutive_failures_);
  }
  consecutive_failures_ = 0;
  last_good_ = result.database;
  result.ok = true;
  return result;
}

CollectionResult AuditedDatabase::MarkFailed(const CollectionContext& context, v1::ErrorClass error_class,
                                             const std::string& message) {
  const auto started = std::chrono::system_clock::now();
  return StaleResult(context, {error_class, message}, started);
}

void AuditedDatabase::RecordFailure(const CollectionContext& context, const Failure& failure) {
  // One line per change of state; the same failure again is debug noise.
  const bool news = consecutive_failures_ == 0 || failure.message != last_failure_.message;
  Log()->log(news ? spdlog::level::warn : spdlog::level::debug, "{}: collection failed ({}): {}",
             DatabaseResourceName(context.target->name, name_), ErrorClassName(failure.error_class),
             failure.message);
  last_failure_ = failure;
  ++consecutive_failures_;
  const int doublings = std::min(consecutive_failures_ - 1, 6);
  next_connect_ =
      Clock::now() + std::min<std::chrono::seconds>(std::chrono::seconds(1LL << doublings), kMaxBackoff);
}

CollectionResult AuditedDatabase::StaleResult(const CollectionContext& context, const Failure& failure,
                                              std::chrono::system_clock::time_point started) const {
  CollectionResult result;
  result.database = last_good_ ? std::make_shared<v1::DatabasePosture>(*last_good_) : StartPosture(context);
  v1::CollectionInfo& info = *result.database->mutable_collection();
  *info.mutable_collected_at() = ToTimestamp(started);
  *info.mutable_duration() = SinceTimestamp(started);
  info.set_stale(true);
  info.set_error(failure.message);
  info.set_error_class(failure.error_class);
  return result;
}

}  // namespace pgposture
