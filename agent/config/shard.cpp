#include "agent/config/shard.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>

namespace pgposture {

std::optional<Shard> ParseShard(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) return std::nullopt;
  const std::string index = text.substr(0, slash);
  const std::string count = text.substr(slash + 1);
  const auto digits = [](const std::string& s) {
    return s.size() <= 6 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (!digits(index) || !digits(count)) return std::nullopt;
  Shard shard{std::stoi(index), std::stoi(count)};
  if (shard.count < 1 || shard.index >= shard.count) return std::nullopt;
  return shard;
}

bool ShardOwns(const Shard& shard, const std::string& target_name) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(target_name.data(), target_name.size(), digest.data(), &length, EVP_md5(), nullptr);
  std::uint64_t value = 0;
  for (unsigned int i = 8; i < 16; ++i) value = (value << 8) | digest[i];
  return value % static_cast<std::uint64_t>(shard.count) == static_cast<std::uint64_t>(shard.index);
}

std::vector<TargetConfig> TargetsOfShard(const std::vector<TargetConfig>& targets, const Shard& shard) {
  std::vector<TargetConfig> owned;
  for (const TargetConfig& target : targets) {
    if (ShardOwns(shard, target.name)) owned.push_back(target);
  }
  return owned;
}

void KeepOwnTargets(Config& config, const std::optional<std::string>& override) {
  const std::optional<Shard> shard = ParseShard(override.value_or(config.agent.shard));
  config.agent.shard = override.value_or(config.agent.shard);
  if (shard) config.targets = TargetsOfShard(config.targets, *shard);
}

}  // namespace pgposture
