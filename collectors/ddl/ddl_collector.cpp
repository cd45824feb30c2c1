#include "collectors/ddl/ddl_collector.h"

#include <pqxx/except>

#include "collectors/installed_function.h"

namespace pgposture {
namespace {

const char* const kCaptureTriggers[] = {"pgposture_ddl_command_end", "pgposture_sql_drop"};

// Tagged like the capture read, so that both can go with other collectors'
// statements (Session::Prefetch).
constexpr const char* kProbeQuery =
    "SELECT 'installed' AS kind, (pg_catalog.to_regprocedure('pgposture.ddl_capture(xid8)') IS NOT "
    "NULL)::text "
    "AS a, NULL::text AS b, NULL::text AS c";

}  // namespace

DdlCollector::DdlCollector(const CollectorOptions& options)
    : classifier_(options), history_(options.ddl_window) {}

bool DdlCollector::CaptureInstalled(Session& session) {
  if (!installed_) {
    const TaggedRows probe = session.QueryRows(kProbeQuery);
    installed_ = !probe.empty() && IsTrue(probe.front().a);
  }
  return installed_;
}

TaggedQuery DdlCollector::CaptureQuery() const {
  return {"SELECT kind, a, b, c FROM pgposture.ddl_capture($1::pg_catalog.xid8)",
          {std::to_string(history_.since())}};
}

TaggedQuery DdlCollector::FirstQuery() const { return installed_ ? CaptureQuery() : kProbeQuery; }

void FillCaptureHealth(const DdlCaptureRead& read, v1::DdlFacts& facts) {
  bool installed = true;
  bool enabled = true;
  for (const char* name : kCaptureTriggers) {
    const auto trigger = read.triggers.find(name);
    installed &= trigger != read.triggers.end();
    // evtenabled: O origin, R replica, A always, D disabled.
    enabled &= trigger != read.triggers.end() && trigger->second != "D";
  }
  facts.set_capture_installed(installed);
  facts.set_capture_enabled(enabled);
  facts.set_capture_failures(read.failures);
}

void DdlCollector::Collect(Session& session, v1::DatabasePosture& posture) {
  v1::DdlFacts& facts = *posture.mutable_ddl();
  if (!CaptureInstalled(session)) {
    facts.set_capture_installed(false);
    facts.set_capture_enabled(false);
    return;
  }
  DdlCaptureRead read;
  try {
    read = ParseDdlCaptureRows(session.QueryRows(CaptureQuery()));
  } catch (const pqxx::sql_error& error) {
    if (!IsMissingInstall(error)) throw;
    installed_ = false;
    facts.set_capture_installed(false);
    facts.set_capture_enabled(false);
    return;
  }
  FillCaptureHealth(read, facts);
  history_.Apply(std::move(read), classifier_, std::chrono::system_clock::now());
  history_.Fill(facts);
}

}  // namespace pgposture
