#include "exporters/grpc/listing.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <limits>
#include <map>

#include "exporters/grpc/paging.h"
#include "exporters/grpc/resource_name.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

// What a page token is tied to: the request without its paging fields.
template <typename Request>
std::string FiltersOf(Request request) {
  request.clear_page_size();
  request.clear_page_token();
  return request.SerializeAsString();
}

grpc::Status InvalidEnum(const std::string& field, int value) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      field + ": " + std::to_string(value) + " is not a known value");
}

grpc::Status CheckTimestamp(const std::string& field, const google::protobuf::Timestamp& time) {
  if (time.seconds() < TimeUtil::kTimestampMinSeconds || time.seconds() > TimeUtil::kTimestampMaxSeconds ||
      time.nanos() < 0 || time.nanos() > 999999999) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        field + ": not a valid timestamp (years 1 to 9999, nanos from 0 to 999999999)");
  }
  return grpc::Status::OK;
}

// The snapshots within `parent`; NOT_FOUND when it names what none has.
grpc::Status Within(const std::vector<DatabaseSnapshot>& snapshots, const std::string& parent_text,
                    std::vector<const DatabaseSnapshot*>* out) {
  ResourceName parent;
  if (grpc::Status status = ParseParent("parent", parent_text, &parent); !status.ok()) return status;
  for (const DatabaseSnapshot& snapshot : snapshots) {
    if (Contains(parent, *snapshot.database)) out->push_back(&snapshot);
  }
  if (out->empty() && !parent.target.empty()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "parent: " + Describe(parent) + " not found; ListTargets shows what exists");
  }
  return grpc::Status::OK;
}

v1::DatabaseSummary Summary(const v1::DatabasePosture& posture) {
  v1::DatabaseSummary summary;
  summary.set_name(posture.name());
  summary.set_database(posture.database());
  summary.set_maturity_level(posture.maturity_level());
  summary.set_required_level(posture.required_level());
  summary.set_failing_checks(static_cast<std::int32_t>(
      std::count_if(posture.findings().begin(), posture.findings().end(),
                    [](const v1::Finding& finding) { return finding.status() == v1::CHECK_STATUS_FAIL; })));
  summary.set_stale(posture.collection().stale());
  summary.set_error(posture.collection().error());
  if (posture.collection().has_last_success_at()) {
    *summary.mutable_last_success_at() = posture.collection().last_success_at();
  }
  return summary;
}

// Environments are a fixed set (the configuration checks targets[].environment).
bool IsEnvironment(const std::string& name) { return name == "local" || name == "staging" || name == "prod"; }

}  // namespace

std::string DdlEventKey(const v1::DdlEvent& event) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::int64_t nanos = TimeUtil::TimestampToNanoseconds(event.time());
  // '\0' cannot occur in a database name, so it ends the name unambiguously.
  return SortableNumber(static_cast<std::uint64_t>(kMax - nanos)) + event.database() + '\0' +
         SortableNumber(static_cast<std::uint64_t>(kMax - event.id()));
}

grpc::Status ListTargets(const std::vector<DatabaseSnapshot>& snapshots,
                         const v1::ListTargetsRequest& request, v1::ListTargetsResponse* response) {
  PageRequest page;
  if (grpc::Status status =
          ReadPageRequest(request.page_size(), request.page_token(), FiltersOf(request), &page);
      !status.ok()) {
    return status;
  }
  std::map<std::string, v1::Target> targets;
  for (const DatabaseSnapshot& snapshot : snapshots) {
    const v1::DatabasePosture& posture = *snapshot.database;
    v1::Target& target = targets[posture.target()];
    if (target.name().empty()) {
      target.set_name("targets/" + posture.target());
      target.set_environment(posture.environment());
      *target.mutable_labels() = posture.labels();
    }
    *target.add_databases() = Summary(posture);
  }
  std::vector<Keyed<v1::Target>> items;
  items.reserve(targets.size());
  for (auto& [name, target] : targets) items.push_back({name, std::move(target)});
  for (v1::Target& target : TakePage(std::move(items), page, response->mutable_next_page_token())) {
    *response->add_targets() = std::move(target);
  }
  return grpc::Status::OK;
}

grpc::Status ListFindings(const std::vector<DatabaseSnapshot>& snapshots,
                          const v1::ListFindingsRequest& request, v1::ListFindingsResponse* response) {
  if (!request.environment().empty() && !IsEnvironment(request.environment())) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "environment: \"" + request.environment() + "\" is not local, staging or prod");
  }
  if (!v1::Severity_IsValid(request.severity())) return InvalidEnum("severity", request.severity());
  if (!v1::CheckStatus_IsValid(request.status())) return InvalidEnum("status", request.status());
  if (!v1::MaturityLevel_IsValid(request.level())) return InvalidEnum("level", request.level());
  PageRequest page;
  if (grpc::Status status =
          ReadPageRequest(request.page_size(), request.page_token(), FiltersOf(request), &page);
      !status.ok()) {
    return status;
  }
  std::vector<const DatabaseSnapshot*> databases;
  if (grpc::Status status = Within(snapshots, request.parent(), &databases); !status.ok()) return status;

  std::vector<Keyed<v1::DatabaseFinding>> items;
  for (const DatabaseSnapshot* snapshot : databases) {
    const v1::DatabasePosture& posture = *snapshot->database;
    if (!request.environment().empty() && posture.environment() != request.environment()) continue;
    for (const v1::Finding& finding : posture.findings()) {
      if ((request.severity() != v1::SEVERITY_UNSPECIFIED && finding.severity() != request.severity()) ||
          (!request.check_id().empty() && finding.check_id() != request.check_id()) ||
          (request.status() != v1::CHECK_STATUS_UNSPECIFIED && finding.status() != request.status()) ||
          (request.level() != v1::MATURITY_LEVEL_UNSPECIFIED && finding.level() != request.level())) {
        continue;
      }
      v1::DatabaseFinding item;
      item.set_database(posture.name());
      item.set_environment(posture.environment());
      *item.mutable_finding() = finding;
      items.push_back({posture.name() + '\0' + finding.check_id(), std::move(item)});
    }
  }
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  for (v1::DatabaseFinding& finding : TakePage(std::move(items), page, response->mutable_next_page_token())) {
    *response->add_findings() = std::move(finding);
  }
  return grpc::Status::OK;
}

grpc::Status ListDdlEvents(const std::vector<DatabaseSnapshot>& snapshots,
                           const v1::ListDdlEventsRequest& request, v1::ListDdlEventsResponse* response) {
  if (!v1::DdlClassification_IsValid(request.classification())) {
    return InvalidEnum("classification", request.classification());
  }
  if (grpc::Status status = CheckTimestamp("start_time", request.start_time()); !status.ok()) return status;
  if (grpc::Status status = CheckTimestamp("end_time", request.end_time()); !status.ok()) return status;
  if (request.has_start_time() && request.has_end_time() && request.end_time() < request.start_time()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "end_time: before start_time");
  }
  PageRequest page;
  if (grpc::Status status =
          ReadPageRequest(request.page_size(), request.page_token(), FiltersOf(request), &page);
      !status.ok()) {
    return status;
  }
  std::vector<const DatabaseSnapshot*> databases;
  if (grpc::Status status = Within(snapshots, request.parent(), &databases); !status.ok()) return status;

  std::vector<Keyed<v1::DdlEvent>> items;
  for (const DatabaseSnapshot* snapshot : databases) {
    for (const v1::DdlEvent& event : snapshot->database->ddl().recent_events()) {
      if ((request.classification() != v1::DDL_CLASSIFICATION_UNSPECIFIED &&
           event.classification() != request.classification()) ||
          (request.has_start_time() && event.time() < request.start_time()) ||
          (request.has_end_time() && !(event.time() < request.end_time()))) {
        continue;
      }
      Keyed<v1::DdlEvent>& item = items.emplace_back();
      item.item = event;
      item.item.set_database(snapshot->database->name());
      item.key = DdlEventKey(item.item);
    }
  }
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  for (v1::DdlEvent& event : TakePage(std::move(items), page, response->mutable_next_page_token())) {
    *response->add_events() = std::move(event);
  }
  return grpc::Status::OK;
}

}  // namespace pgposture
