#include "collectors/backup/pgbackrest_collector.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <stdexcept>

#include "backup/pgbackrest_info.pb.h"
#include "collectors/backup/tool_command.h"

namespace pgposture {
namespace {

constexpr int kNoValidBackups = 2;
// Enough of pgbackrest's stderr to say what went wrong.
constexpr size_t kMaxErrorText = 300;

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > kMaxErrorText) line = line.substr(0, kMaxErrorText) + "...";
  return line;
}

}  // namespace

v1::BaseBackup ParsePgbackrestInfo(const std::string& json, const std::string& stanza) {
  pgbackrest::Info info;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status =
      google::protobuf::util::JsonStringToMessage("{\"stanzas\":" + json + "}", &info, options);
  if (!status.ok()) {
    throw std::runtime_error("pgbackrest info output is not the JSON expected: " + status.ToString());
  }
  const std::string named = "pgbackrest stanza " + stanza;
  const pgbackrest::Stanza* found = nullptr;
  for (const pgbackrest::Stanza& candidate : info.stanzas()) {
    if (candidate.name() == stanza) found = &candidate;
  }
  if (found == nullptr) throw std::runtime_error(named + " is missing from pgbackrest info");
  const int code = found->status().code();
  if (code != 0 && code != kNoValidBackups) {
    throw std::runtime_error(named + ": " + found->status().message() + " (status " + std::to_string(code) +
                             "); run pgbackrest --stanza=" + stanza + " check");
  }
  const pgbackrest::Backup* newest = nullptr;
  for (const pgbackrest::Backup& backup : found->backup()) {
    if (!backup.error() && (newest == nullptr || backup.timestamp().stop() >= newest->timestamp().stop())) {
      newest = &backup;
    }
  }
  if (newest == nullptr) {
    throw std::runtime_error(named + " has no valid backup; run pgbackrest --stanza=" + stanza + " backup");
  }
  v1::BaseBackup result;
  result.set_tool("pgbackrest");
  result.set_type(newest->type());
  *result.mutable_finished_at() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(newest->timestamp().stop());
  return result;
}

void PgbackrestCollector::Collect(Session& /*session*/, v1::DatabasePosture& posture) {
  const ToolOutput output =
      RunToolCommand({"pgbackrest", "--stanza=" + stanza_, "--output=json", "info"}, timeout_);
  if (output.exit_code != 0) {
    throw std::runtime_error("pgbackrest info for stanza " + stanza_ + " exited with " +
                             std::to_string(output.exit_code) + ": " +
                             FirstLine(output.err.empty() ? output.out : output.err));
  }
  *posture.mutable_backup()->mutable_last_base_backup() = ParsePgbackrestInfo(output.out, stanza_);
}

}  // namespace pgposture
