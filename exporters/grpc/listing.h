// The List methods of PostureService as pure functions of the snapshots, so
// that filters and paging are tested without a server.
#pragma once

#include <grpcpp/support/status.h>

#include <vector>

#include "exporters/snapshot_source.h"
#include "pgposture/v1/service.pb.h"

namespace pgposture {

/// Each fills *response from `snapshots` (SnapshotSource::List()) or returns
/// INVALID_ARGUMENT naming a bad field, or NOT_FOUND for a parent that
/// matches no database.
grpc::Status ListTargets(const std::vector<DatabaseSnapshot>& snapshots,
                         const v1::ListTargetsRequest& request, v1::ListTargetsResponse* response);
grpc::Status ListFindings(const std::vector<DatabaseSnapshot>& snapshots,
                          const v1::ListFindingsRequest& request, v1::ListFindingsResponse* response);
/// Events come from each database's recent events (DdlFacts.recent_events).
grpc::Status ListDdlEvents(const std::vector<DatabaseSnapshot>& snapshots,
                           const v1::ListDdlEventsRequest& request, v1::ListDdlEventsResponse* response);

/// Sort key of a DDL event: newest first, then by database, then newest id.
std::string DdlEventKey(const v1::DdlEvent& event);

}  // namespace pgposture
