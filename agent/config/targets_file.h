// Targets from a file of their own, written by a fleet tool.
#pragma once

#include <cstdint>
#include <string>

#include "agent/config/config.h"

namespace pgposture {

/// Adds the targets of config.targets_file to config.targets. The file is a
/// YAML document with a `targets:` list, validated like the main file's (with
/// its own file:line:column), and nothing else. A name in both files is an
/// error. Throws ConfigError.
void AddTargetsFile(Config& config);

/// Tells when a file changed (modification time or size) since the last
/// look, so the agent can reload a targets file as soon as it is rewritten.
class FileChangeWatch {
 public:
  explicit FileChangeWatch(std::string path);
  /// True when the file differs from the previous call (or construction).
  bool Changed();

 private:
  std::string Stamp() const;

  std::string path_;
  std::string stamp_;
};

}  // namespace pgposture
