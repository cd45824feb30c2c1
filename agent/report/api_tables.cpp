#include "agent/report/api_tables.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "agent/eval/maturity.h"
#include "agent/report/table.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;

// RFC 3339 to the second: tables want width, not nanoseconds.
std::string Time(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "-";
  return TimeUtil::ToString(TimeUtil::SecondsToTimestamp(time.seconds()));
}

// "-" for a level never evaluated (a database never collected).
std::string Level(v1::MaturityLevel level) {
  return level == v1::MATURITY_LEVEL_UNSPECIFIED ? "-" : MaturityLevelName(level);
}

std::string Classification(v1::DdlClassification classification) {
  return EnumWord(v1::DdlClassification_Name(classification), "DDL_CLASSIFICATION_");
}

std::vector<std::string> EventCells(const v1::DdlEvent& event) {
  return {Time(event.time()),  event.database(),       Classification(event.classification()),
          event.source(),      event.session_user(),   event.application_name(),
          event.command_tag(), event.object_identity()};
}

const std::vector<std::string> kEventHeader{"TIME", "DATABASE",    "CLASSIFICATION", "SOURCE",
                                            "USER", "APPLICATION", "COMMAND",        "OBJECT"};

}  // namespace

std::string EnumWord(const std::string& name, const std::string& prefix) {
  std::string word = name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return word;
}

std::string RenderTargets(const v1::ListTargetsResponse& response) {
  Table table({"DATABASE", "ENVIRONMENT", "LEVEL", "REQUIRED", "FAILING", "LAST SUCCESS", "STATUS"});
  for (const v1::Target& target : response.targets()) {
    for (const v1::DatabaseSummary& database : target.databases()) {
      std::string status = "ok";
      if (!database.error().empty()) status = "error: " + database.error();
      table.AddRow({database.name(), target.environment(), Level(database.maturity_level()),
                    Level(database.required_level()), std::to_string(database.failing_checks()),
                    Time(database.last_success_at()), status});
    }
  }
  return table.Render();
}

std::string RenderFindings(const v1::ListFindingsResponse& response) {
  Table table({"DATABASE", "CHECK", "LEVEL", "SEVERITY", "STATUS", "DETAIL"});
  for (const v1::DatabaseFinding& item : response.findings()) {
    const v1::Finding& finding = item.finding();
    table.AddRow({item.database(), finding.check_id(), MaturityLevelName(finding.level()),
                  EnumWord(v1::Severity_Name(finding.severity()), "SEVERITY_"),
                  EnumWord(v1::CheckStatus_Name(finding.status()), "CHECK_STATUS_"), finding.detail()});
  }
  return table.Render();
}

std::string RenderDdlEvents(const v1::ListDdlEventsResponse& response) {
  Table table(kEventHeader);
  for (const v1::DdlEvent& event : response.events()) table.AddRow(EventCells(event));
  return table.Render();
}

std::string RenderWatchLine(const v1::WatchDdlEventsResponse& message) {
  if (!message.has_event()) {
    return "(" + std::to_string(message.dropped_events()) +
           " event(s) dropped: this reader fell behind; `pgposture query ddl` lists them)\n";
  }
  std::string line;
  for (const std::string& cell : EventCells(message.event()))
    line.append(line.empty() ? "" : "  ").append(cell);
  return line + "\n";
}

}  // namespace pgposture
