#include "agent/collect/reload_plan.h"

#include <tuple>

namespace pgposture {

bool SameTarget(const TargetConfig& a, const TargetConfig& b) {
  const auto fields = [](const TargetConfig& t) {
    return std::tie(t.name, t.dsn, t.password_file, t.environment, t.labels, t.all_databases, t.databases,
                    t.pgbackrest_stanza);
  };
  return fields(a) == fields(b);
}

bool SameOptions(const CollectorOptions& a, const CollectorOptions& b) {
  const auto fields = [](const CollectorOptions& o) {
    return std::tie(o.migration_roles, o.migration_client_cidrs, o.migration_application_names, o.ddl_window,
                    o.interactive_application_names, o.max_archive_age, o.pgbackrest_stanza,
                    o.backup_tool_timeout);
  };
  return fields(a) == fields(b);
}

bool SameListeners(const ListenSettings& a, const ListenSettings& b) {
  const auto fields = [](const ListenSettings& l) {
    return std::tie(l.metrics, l.grpc, l.grpc_tls_cert_file, l.grpc_tls_key_file, l.grpc_tls_client_ca_file,
                    l.grpc_token_file, l.grpc_collect_token_file);
  };
  return fields(a) == fields(b);
}

}  // namespace pgposture
