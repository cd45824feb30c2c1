#include "exporters/grpc/resource_name.h"

namespace pgposture {
namespace {

constexpr std::string_view kTargets = "targets/";
constexpr std::string_view kDatabases = "/databases/";

grpc::Status Invalid(const std::string& field, const std::string& value, const std::string& expected) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      field + ": \"" + value + "\" is not a resource name; expected " + expected);
}

}  // namespace

// Target names are plain (letters, digits, "_", ".", "-": the configuration
// checks it), database names may hold anything, "/" included.
grpc::Status ParseParent(const std::string& field, const std::string& parent, ResourceName* out) {
  *out = ResourceName{};
  if (parent.empty()) return grpc::Status::OK;
  const std::string expected = "targets/{target} or targets/{target}/databases/{database}";
  if (parent.compare(0, kTargets.size(), kTargets) != 0) return Invalid(field, parent, expected);
  const std::size_t target_end = parent.find('/', kTargets.size());
  out->target = parent.substr(kTargets.size(), target_end - kTargets.size());
  if (out->target.empty()) return Invalid(field, parent, expected);
  if (target_end == std::string::npos) return grpc::Status::OK;
  if (parent.compare(target_end, kDatabases.size(), kDatabases) != 0 ||
      parent.size() == target_end + kDatabases.size()) {
    return Invalid(field, parent, expected);
  }
  out->database = parent.substr(target_end + kDatabases.size());
  return grpc::Status::OK;
}

grpc::Status ParseDatabaseName(const std::string& field, const std::string& name, ResourceName* out) {
  if (name.empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        field + ": required; expected targets/{target}/databases/{database}");
  }
  const grpc::Status status = ParseParent(field, name, out);
  if (status.ok() && out->database.empty()) {
    return Invalid(field, name, "targets/{target}/databases/{database}");
  }
  return status;
}

bool Contains(const ResourceName& parent, const v1::DatabasePosture& posture) {
  return (parent.target.empty() || parent.target == posture.target()) &&
         (parent.database.empty() || parent.database == posture.database());
}

std::string Describe(const ResourceName& parent) {
  std::string text = std::string(kTargets) + parent.target;
  if (!parent.database.empty()) text.append(kDatabases).append(parent.database);
  return text;
}

}  // namespace pgposture
