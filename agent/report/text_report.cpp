#include "agent/report/text_report.h"

#include <sstream>

#include "agent/eval/maturity.h"

namespace pgposture {
namespace {

const char* StatusWord(v1::CheckStatus status) {
  switch (status) {
    case v1::CHECK_STATUS_PASS:
      return "pass";
    case v1::CHECK_STATUS_FAIL:
      return "FAIL";
    default:
      return "unknown";
  }
}

std::string YesNoUnknown(bool known, bool value) {
  if (!known) return "unknown";
  return value ? "yes" : "no";
}

void RenderPgaudit(const v1::PgauditFacts& pgaudit, std::ostringstream& out) {
  out << "  pgaudit: loaded " << YesNoUnknown(pgaudit.has_loaded(), pgaudit.loaded()) << ", extension "
      << YesNoUnknown(pgaudit.has_extension_created(), pgaudit.extension_created());
  if (!pgaudit.extension_version().empty()) out << " " << pgaudit.extension_version();
  if (pgaudit.settings().has_log()) out << ", pgaudit.log '" << pgaudit.settings().log().raw() << "'";
  out << "\n";
  for (const v1::PgauditRoleCoverage& role : pgaudit.coverage()) {
    out << "    " << role.role() << (role.superuser() ? " (superuser)" : "") << ": ddl "
        << (role.ddl_audited() ? "yes" : "no") << ", role " << (role.role_audited() ? "yes" : "no")
        << ", write " << (role.write_audited() ? "yes" : "no") << "\n";
  }
}

void RenderFindings(const v1::DatabasePosture& posture, std::ostringstream& out) {
  v1::MaturityLevel current = v1::MATURITY_LEVEL_UNSPECIFIED;
  for (const v1::Finding& finding : posture.findings()) {
    if (finding.level() != current) {
      current = finding.level();
      out << "  " << MaturityLevelName(current) << ":\n";
    }
    out << "    [" << StatusWord(finding.status()) << "] " << finding.check_id() << ": " << finding.title()
        << "\n";
    if (finding.status() == v1::CHECK_STATUS_PASS) continue;
    if (!finding.detail().empty()) out << "           " << finding.detail() << "\n";
    if (!finding.remediation().empty()) out << "           fix: " << finding.remediation() << "\n";
  }
}

}  // namespace

std::string RenderText(const v1::CheckReport& report) {
  std::ostringstream out;
  for (const v1::DatabasePosture& posture : report.databases()) {
    out << posture.name() << " (" << posture.environment() << ")\n";
    const v1::CollectionInfo& collection = posture.collection();
    if (!collection.error().empty()) out << "  collection FAILED: " << collection.error() << "\n";
    for (const v1::CollectorError& error : collection.collector_errors()) {
      out << "  " << error.collector() << " failed: " << error.message() << "\n";
    }
    out << "  maturity: " << MaturityLevelName(posture.maturity_level())
        << " (required: " << MaturityLevelName(posture.required_level()) << ")\n";
    RenderPgaudit(posture.pgaudit(), out);
    RenderFindings(posture, out);
    out << "\n";
  }
  out << (report.passed() ? "PASSED" : "FAILED") << ": " << report.databases_size() << " database(s)\n";
  return out.str();
}

}  // namespace pgposture
