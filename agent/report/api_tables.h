// `pgposture query`: PostureService answers as tables for people.
#pragma once

#include <string>

#include "pgposture/v1/service.pb.h"

namespace pgposture {

/// One row per database: target, environment, level reached and required,
/// failing checks, last success, and "ok" or the error of the latest
/// collection.
std::string RenderTargets(const v1::ListTargetsResponse& response);

/// One row per finding: database, check, level, severity, status, detail.
std::string RenderFindings(const v1::ListFindingsResponse& response);

/// One row per event, as RenderDdlEventRow.
std::string RenderDdlEvents(const v1::ListDdlEventsResponse& response);

/// One line per WatchDdlEvents message: the event's time, database,
/// classification, source, user, application, command and object; or, for
/// a drop notice, how many events were dropped.
std::string RenderWatchLine(const v1::WatchDdlEventsResponse& message);

/// "pgaudit.loaded" style word of an enum value: SEVERITY_CRITICAL with
/// prefix "SEVERITY_" -> "critical".
std::string EnumWord(const std::string& name, const std::string& prefix);

}  // namespace pgposture
