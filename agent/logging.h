// The agent's loggers: one named logger per subsystem, one stderr sink.
#pragma once

#include <string>

namespace pgposture {

/// Creates the loggers (agent, config, scheduler, collector, exporter, grpc)
/// writing to stderr at `level` (spdlog level name). Safe to call again to
/// change the level.
void SetupLogging(const std::string& level);

}  // namespace pgposture
