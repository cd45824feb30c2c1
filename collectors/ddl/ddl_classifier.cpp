#include "collectors/ddl/ddl_classifier.h"

#include <algorithm>

namespace pgposture {
namespace {

struct SourcePattern {
  const char* source;
  std::regex pattern;
};

// Supabase Studio connects as "postgres-meta <version>" and its SQL editor
// as "supabase/dashboard..."; IDEs announce themselves by product name.
const std::vector<SourcePattern>& SourcePatterns() {
  static const std::vector<SourcePattern> patterns = {
      {"dashboard", std::regex("^(postgres-meta|supabase/dashboard|supabase studio)", std::regex::icase)},
      {"ide", std::regex("^(pgadmin|dbeaver|datagrip)", std::regex::icase)},
      {"psql", std::regex("^psql", std::regex::icase)},
  };
  return patterns;
}

void Decide(v1::DdlEvent& event, v1::DdlClassification classification, const char* rule) {
  event.set_classification(classification);
  event.set_rule(rule);
}

}  // namespace

std::string SourceOf(const std::string& application_name) {
  for (const SourcePattern& entry : SourcePatterns()) {
    if (std::regex_search(application_name, entry.pattern)) return entry.source;
  }
  return "unknown";
}

DdlClassifier::DdlClassifier(const CollectorOptions& options) : migration_roles_(options.migration_roles) {
  // The configuration was validated on load; anything malformed that still
  // gets here matches nothing rather than everything.
  for (const std::string& text : options.migration_client_cidrs) {
    if (std::optional<Cidr> cidr = ParseCidr(text)) migration_networks_.push_back(*cidr);
  }
  for (const std::string& pattern : options.migration_application_names) {
    try {
      migration_applications_.emplace_back(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
    }
  }
}

void DdlClassifier::Classify(v1::DdlEvent& event) const {
  event.set_source(SourceOf(event.application_name()));
  const std::string& tag = event.command_tag();
  if (event.in_extension() || tag == "CREATE EXTENSION" || tag == "ALTER EXTENSION") {
    return Decide(event, v1::DDL_CLASSIFICATION_IGNORED, "extension");
  }
  if (event.temporary()) return Decide(event, v1::DDL_CLASSIFICATION_IGNORED, "temporary");
  // The rule is "came through version control", not "wrote the table".
  if (event.source() == "dashboard") return Decide(event, v1::DDL_CLASSIFICATION_OUT_OF_BAND, "dashboard");
  if (event.wrote_history()) return Decide(event, v1::DDL_CLASSIFICATION_MIGRATION, "history_write");
  if (!event.change_source().empty()) return Decide(event, v1::DDL_CLASSIFICATION_MIGRATION, "change_source");
  if (std::find(migration_roles_.begin(), migration_roles_.end(), event.session_user()) !=
      migration_roles_.end()) {
    return Decide(event, v1::DDL_CLASSIFICATION_MIGRATION, "migration_role");
  }
  for (const Cidr& network : migration_networks_) {
    if (CidrContains(network, event.client_addr())) {
      return Decide(event, v1::DDL_CLASSIFICATION_MIGRATION, "migration_client");
    }
  }
  for (const std::regex& pattern : migration_applications_) {
    if (std::regex_search(event.application_name(), pattern)) {
      return Decide(event, v1::DDL_CLASSIFICATION_MIGRATION, "migration_application");
    }
  }
  Decide(event, v1::DDL_CLASSIFICATION_OUT_OF_BAND, "no_migration_rule");
}

}  // namespace pgposture
