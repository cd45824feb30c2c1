// The agent's loggers: one named logger per subsystem, one stderr sink.
#pragma once

#include <string>

namespace pgposture {

/// Creates the loggers (agent, config, scheduler, collector, exporter, grpc)
/// writing to stderr at `level` (spdlog level name) in `format`: "plain"
/// (timestamp, level, logger, message: what journald and a terminal want) or
/// "json" (one object per line with time, level, logger and message). Safe to
/// call again to change either.
void SetupLogging(const std::string& level, const std::string& format = "plain");

}  // namespace pgposture
