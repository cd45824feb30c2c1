// Splitting a fleet of targets across agents without coordination.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/config/config.h"

namespace pgposture {

/// This agent's part of the fleet: shard `index` of `count`.
struct Shard {
  int index = 0;
  int count = 1;
};

/// "2/5" -> {2, 5}; nullopt unless 0 <= index < count.
std::optional<Shard> ParseShard(const std::string& text);

/// Whether `shard` audits the target named `target_name`: the way
/// Prometheus's hashmod relabelling hashes (MD5, its last 8 bytes as a
/// big-endian integer, modulo count), so n agents given the same targets and
/// shards 0..n-1 audit each target exactly once, and Prometheus can compute
/// the same split.
bool ShardOwns(const Shard& shard, const std::string& target_name);

/// The targets of `targets` that `shard` audits, in order.
std::vector<TargetConfig> TargetsOfShard(const std::vector<TargetConfig>& targets, const Shard& shard);

/// Drops from `config` the targets of other shards: agent.shard's, or
/// `override`'s (the --shard flag, already validated) when given.
void KeepOwnTargets(Config& config, const std::optional<std::string>& override);

}  // namespace pgposture
