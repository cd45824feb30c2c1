#include "agent/config/targets_file.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <set>

#include "agent/config/config_loader.h"

namespace pgposture {

void AddTargetsFile(Config& config) {
  const std::string& path = config.targets_file;
  const std::string text = ReadConfigText(path);
  // Settings belong to the main file: a targets file that carries any is a
  // mistake to report, not to ignore.
  try {
    const YAML::Node root = YAML::Load(text);
    if (root.IsMap()) {
      for (const auto& entry : root) {
        const std::string key = entry.first.as<std::string>("");
        if (key == "targets") continue;
        throw ConfigError(path + ":" + std::to_string(entry.first.Mark().line + 1) + ":" +
                          std::to_string(entry.first.Mark().column + 1) + ": " + key +
                          ": not allowed in a targets file, which holds only `targets`");
      }
    }
  } catch (const YAML::Exception&) {
    // ParseConfig below reports it with its place.
  }
  const Config from_file = ParseConfig(text, path);
  std::set<std::string> names;
  for (const TargetConfig& target : config.targets) names.insert(target.name);
  for (const TargetConfig& target : from_file.targets) {
    if (!names.insert(target.name).second) {
      throw ConfigError(path + ": targets: duplicate target name \"" + target.name + "\" (also in " +
                        config.path + "); rename one of them");
    }
    config.targets.push_back(target);
  }
}

FileChangeWatch::FileChangeWatch(std::string path) : path_(std::move(path)), stamp_(Stamp()) {}

bool FileChangeWatch::Changed() {
  std::string stamp = Stamp();
  if (stamp == stamp_) return false;
  stamp_ = std::move(stamp);
  return true;
}

std::string FileChangeWatch::Stamp() const {
  struct stat status {};
  if (::stat(path_.c_str(), &status) != 0) return "missing";
  return std::to_string(status.st_mtim.tv_sec) + "." + std::to_string(status.st_mtim.tv_nsec) + "/" +
         std::to_string(status.st_size);
}

}  // namespace pgposture
