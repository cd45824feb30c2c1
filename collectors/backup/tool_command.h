// Running a backup tool's command line from a collector.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace pgposture {

/// How the command ended, and what it wrote.
struct ToolOutput {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `argv` (argv[0] looked up in PATH, no shell) with stdin from
/// /dev/null and the agent's environment. Throws std::runtime_error when it
/// cannot start, is killed by a signal, or still runs after `timeout`: it and
/// every process it started are then killed.
ToolOutput RunToolCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

}  // namespace pgposture
