// Tells migrations from out-of-band changes.
#pragma once

#include <regex>
#include <string>
#include <vector>

#include "collectors/collector_options.h"
#include "collectors/ddl/cidr.h"
#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// The likely origin of a change, from its application_name: "dashboard"
/// (Supabase Studio and its SQL editor), "ide" (pgAdmin, DBeaver, DataGrip),
/// "psql", or "unknown".
std::string SourceOf(const std::string& application_name);

/// Classifies captured DDL events by the rules of DESIGN.md ("Out-of-band
/// DDL"): extension and temporary objects are ignored; a known dashboard is
/// always out-of-band, even when it wrote migration history itself; otherwise
/// a migration is a transaction that wrote history, declared
/// pgposture.change_source, or ran as a migration role, from a migration
/// network or under a migration tool's application_name.
class DdlClassifier {
 public:
  explicit DdlClassifier(const CollectorOptions& options);

  /// Sets classification, rule (which rule decided) and source on `event`.
  void Classify(v1::DdlEvent& event) const;

 private:
  std::vector<std::string> migration_roles_;
  std::vector<Cidr> migration_networks_;
  std::vector<std::regex> migration_applications_;
};

}  // namespace pgposture
