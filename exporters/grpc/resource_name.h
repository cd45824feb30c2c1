// Resource names of the gRPC API: targets/{target}/databases/{database}.
#pragma once

#include <grpcpp/support/status.h>

#include <string>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// A parsed resource name or parent. An empty target means every target; an
/// empty database means every database of the target.
struct ResourceName {
  std::string target;
  std::string database;
};

/// Parses `name` as targets/{target}/databases/{database} into *out;
/// INVALID_ARGUMENT starting with `field` otherwise.
grpc::Status ParseDatabaseName(const std::string& field, const std::string& name, ResourceName* out);

/// Parses a `parent` filter: empty (everything), targets/{target}, or a
/// database name. INVALID_ARGUMENT starting with `field` otherwise.
grpc::Status ParseParent(const std::string& field, const std::string& parent, ResourceName* out);

/// Whether the database of `posture` lies within `parent`.
bool Contains(const ResourceName& parent, const v1::DatabasePosture& posture);

/// The parent as the API names it, for messages: "targets/a", "targets/a/databases/b".
std::string Describe(const ResourceName& parent);

}  // namespace pgposture
