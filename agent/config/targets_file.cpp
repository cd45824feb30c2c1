#include "agent/config/targets_file.h"

#include <sys/stat.h>

#include <set>

#include "agent/config/config_loader.h"

namespace pgposture {

void AddTargetsFile(Config& config) {
  const std::string& path = config.targets_file;
  const Config from_file = ParseConfig(ReadConfigText(path), path, ConfigDocument::kTargetsFile);
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
