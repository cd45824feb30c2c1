#include "agent/report/text_report.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

#include "agent/config/duration.h"
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

std::string Listed(const std::vector<std::string>& items) {
  if (items.empty()) return "none";
  std::string text;
  for (const std::string& item : items) text.append(text.empty() ? "" : ", ").append(item);
  return text;
}

std::string LowerEnumName(const std::string& name, const std::string& prefix) {
  std::string lower = name.substr(name.rfind(prefix, 0) == 0 ? prefix.size() : 0);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

void RenderRoles(const v1::RolesFacts& roles, std::ostringstream& out) {
  if (roles.roles_size() == 0) {
    out << "  roles: not collected\n";
    return;
  }
  std::vector<std::string> superusers, bypassrls, weak;
  bool kinds_known = true;
  for (const v1::Role& role : roles.roles()) {
    if (role.superuser()) superusers.push_back(role.name());
    if (role.bypassrls()) bypassrls.push_back(role.name());
    if (role.password_kind() == v1::PASSWORD_KIND_MD5 ||
        role.password_kind() == v1::PASSWORD_KIND_PLAINTEXT) {
      weak.push_back(role.name());
    }
    kinds_known &= role.password_kind() != v1::PASSWORD_KIND_UNSPECIFIED;
  }
  out << "  roles: " << roles.roles_size() << "; superusers: " << Listed(superusers)
      << "; bypassrls: " << Listed(bypassrls) << "; password_encryption " << roles.password_encryption()
      << "; md5/plaintext passwords: " << (kinds_known || !weak.empty() ? Listed(weak) : "unknown") << "\n";
  int sessions = 0, without_ssl = 0;
  for (const v1::SessionGroup& group : roles.sessions()) {
    sessions += group.count();
    without_ssl += group.without_ssl();
  }
  out << "    sessions: " << sessions << " (" << without_ssl
      << " over TCP without SSL), interactive superuser " << roles.interactive_superuser_sessions()
      << " now, " << roles.interactive_superuser_sessions_seen() << " seen since start\n";
  constexpr int kChangesShown = 5;
  for (int i = 0; i < std::min(roles.recent_changes_size(), kChangesShown); ++i) {
    const v1::RoleChangeEvent& change = roles.recent_changes(i);
    out << "    role change " << google::protobuf::util::TimeUtil::ToString(change.first_seen_at()) << ": "
        << change.role() << " "
        << LowerEnumName(v1::RoleChangeKind_Name(change.change()), "ROLE_CHANGE_KIND_");
    if (!change.detail().empty()) out << " " << change.detail();
    out << "\n";
  }
}

void RenderNetwork(const v1::NetworkFacts& network, std::ostringstream& out) {
  if (!network.has_ssl()) {
    out << "  network: not collected\n";
    return;
  }
  out << "  network: listen_addresses '" << network.listen_addresses() << "', ssl "
      << (network.ssl() ? "on" : "off") << ", client connections " << network.client_connections() << " ("
      << network.client_connections_without_ssl() << " over TCP without SSL)\n";
  if (!network.has_rules_open_to_all()) {
    out << "    pg_hba.conf: unreadable (run pgposture install)\n";
    return;
  }
  out << "    pg_hba.conf: " << network.hba_rules_size() << " rules, open to all "
      << network.rules_open_to_all() << ", remote trust " << network.remote_trust_rules()
      << ", remote password/md5 " << network.remote_cleartext_or_md5_rules() << ", remote without SSL "
      << network.remote_non_ssl_rules() << "\n";
}

void RenderBackup(const v1::BackupFacts& backup, std::ostringstream& out) {
  using google::protobuf::util::TimeUtil;
  if (backup.mode() == v1::BACKUP_MODE_UNSPECIFIED) {
    out << "  backup: not collected\n";
    return;
  }
  out << "  backup: mode " << LowerEnumName(v1::BackupMode_Name(backup.mode()), "BACKUP_MODE_")
      << ", wal_level " << backup.wal_level() << ", archive_mode " << backup.archive_mode()
      << ", archive tool " << LowerEnumName(v1::ArchiveTool_Name(backup.archive_tool()), "ARCHIVE_TOOL_")
      << "\n";
  out << "    archived " << backup.archived_count();
  if (backup.has_last_archived_at()) {
    out << " (last " << backup.last_archived_wal() << ", "
        << FormatDuration(std::chrono::seconds(TimeUtil::DurationToSeconds(backup.archive_age()))) << " ago)";
  }
  out << ", failed " << backup.failed_count();
  if (backup.archiver_failing())
    out << " (FAILING since " << TimeUtil::ToString(backup.last_failed_at()) << ")";
  out << ", waiting " << (backup.has_ready_count() ? std::to_string(backup.ready_count()) : "unknown")
      << "\n";
  if (backup.has_last_base_backup()) {
    out << "    last base backup: " << backup.last_base_backup().tool() << " "
        << backup.last_base_backup().type() << ", finished "
        << TimeUtil::ToString(backup.last_base_backup().finished_at()) << "\n";
  }
  for (const v1::ReplicationSlot& slot : backup.replication_slots()) {
    out << "    slot " << slot.name() << " (" << slot.slot_type()
        << (slot.active() ? ", active" : ", inactive") << "): holds " << slot.retained_wal_bytes()
        << " bytes of WAL\n";
  }
}

void RenderMigrations(const v1::DatabasePosture& posture, std::ostringstream& out) {
  if (!posture.has_migrations()) {
    out << "  migrations: not collected\n";
    return;
  }
  const int tables = posture.migrations().tables_size();
  out << "  migrations: " << (tables == 0 ? "no history table" : std::to_string(tables) + " history table(s)")
      << "\n";
  for (const v1::MigrationTable& table : posture.migrations().tables()) {
    out << "    " << table.tool() << " " << table.table() << ": ";
    if (!table.error().empty()) {
      out << "unreadable: " << table.error() << "\n";
      continue;
    }
    out << "latest " << (table.latest_version().empty() ? "none" : table.latest_version());
    if (table.has_latest_applied_at()) {
      out << " (" << google::protobuf::util::TimeUtil::ToString(table.latest_applied_at()) << ")";
    }
    out << ", " << table.applied_count() << " applied\n";
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
    RenderRoles(posture.roles(), out);
    RenderNetwork(posture.network(), out);
    RenderBackup(posture.backup(), out);
    RenderMigrations(posture, out);
    RenderFindings(posture, out);
    out << "\n";
  }
  out << (report.passed() ? "PASSED" : "FAILED") << ": " << report.databases_size() << " database(s)\n";
  return out.str();
}

}  // namespace pgposture
