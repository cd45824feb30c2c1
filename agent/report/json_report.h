// `pgposture check --format json`: the report as protobuf JSON.
#pragma once

#include <string>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// Proto3 JSON of `report`, field names as in the .proto (snake_case), every
/// field printed, enums by name.
std::string RenderJson(const v1::CheckReport& report);

/// The same for any message; `multiline` false gives one line (for a stream
/// of messages, one per line), without a trailing newline.
std::string RenderMessageJson(const google::protobuf::Message& message, bool multiline);

}  // namespace pgposture
