#include "agent/report/json_report.h"

#include <google/protobuf/util/json_util.h>

namespace pgposture {

std::string RenderJson(const v1::CheckReport& report) { return RenderMessageJson(report, true); }

std::string RenderMessageJson(const google::protobuf::Message& message, bool multiline) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = multiline;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  // Printing a well-formed message cannot fail; the status carries nothing.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

}  // namespace pgposture
