#include "agent/logging.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace pgposture {
namespace {

constexpr const char* kLoggers[] = {"agent", "config", "scheduler", "collector", "exporter", "grpc"};
constexpr const char* kPlainPattern = "%Y-%m-%dT%H:%M:%S.%e%z %l %n: %v";

// One JSON object per line. The JSON is written by protobuf's printer, so
// messages with quotes or control characters stay valid JSON.
class JsonFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    spdlog::memory_buf_t time;
    time_formatter_.format(msg, time);
    google::protobuf::Struct line;
    auto& fields = *line.mutable_fields();
    fields["time"].set_string_value(std::string(time.data(), time.size()));
    fields["level"].set_string_value(std::string(spdlog::level::to_string_view(msg.level).data(),
                                                 spdlog::level::to_string_view(msg.level).size()));
    fields["logger"].set_string_value(std::string(msg.logger_name.data(), msg.logger_name.size()));
    fields["message"].set_string_value(std::string(msg.payload.data(), msg.payload.size()));
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(line, &json);
    json += '\n';
    dest.append(json.data(), json.data() + json.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }

 private:
  spdlog::pattern_formatter time_formatter_{"%Y-%m-%dT%H:%M:%S.%e%z", spdlog::pattern_time_type::local, ""};
};

std::unique_ptr<spdlog::formatter> FormatterFor(const std::string& format) {
  if (format == "json") return std::make_unique<JsonFormatter>();
  return std::make_unique<spdlog::pattern_formatter>(kPlainPattern);
}

}  // namespace

void SetupLogging(const std::string& level, const std::string& format) {
  static const auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(FormatterFor(format));
  const spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  for (const char* name : kLoggers) {
    std::shared_ptr<spdlog::logger> logger = spdlog::get(name);
    if (!logger) {
      logger = std::make_shared<spdlog::logger>(name, sink);
      spdlog::register_logger(logger);
    }
    logger->set_level(parsed);
  }
}

}  // namespace pgposture
