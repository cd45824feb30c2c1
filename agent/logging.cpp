#include "agent/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace pgposture {
namespace {

constexpr const char* kLoggers[] = {"agent", "config", "scheduler", "collector", "exporter", "grpc"};

}  // namespace

void SetupLogging(const std::string& level) {
  static const auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  const spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  for (const char* name : kLoggers) {
    std::shared_ptr<spdlog::logger> logger = spdlog::get(name);
    if (!logger) {
      logger = std::make_shared<spdlog::logger>(name, sink);
      logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %n: %v");
      spdlog::register_logger(logger);
    }
    logger->set_level(parsed);
  }
}

}  // namespace pgposture
