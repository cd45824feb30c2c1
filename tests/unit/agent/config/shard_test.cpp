#include "agent/config/shard.h"

#include <gtest/gtest.h>

#include <map>

namespace pgposture {
namespace {

TEST(ShardTest, ParsesIndexOfCount) {
  const auto shard = ParseShard("2/5");
  ASSERT_TRUE(shard);
  EXPECT_EQ(shard->index, 2);
  EXPECT_EQ(shard->count, 5);
  for (const char* bad : {"5/5", "-1/3", "1/0", "1", "/3", "1/", "a/b", "1/3/4", ""}) {
    EXPECT_FALSE(ParseShard(bad)) << bad;
  }
}

TEST(ShardTest, HashesAsPrometheusHashmod) {
  // md5(name), last 8 bytes big-endian, modulo n: the values Prometheus's
  // hashmod relabelling computes for the same names.
  EXPECT_TRUE(ShardOwns({1, 3}, "a"));
  EXPECT_TRUE(ShardOwns({2, 7}, "a"));
  EXPECT_TRUE(ShardOwns({0, 3}, "app-prod"));
  EXPECT_TRUE(ShardOwns({4, 7}, "app-prod"));
  EXPECT_TRUE(ShardOwns({2, 3}, "db-17"));
}

TEST(ShardTest, AgentsCoverEveryTargetExactlyOnce) {
  std::vector<TargetConfig> targets(200);
  for (size_t i = 0; i < targets.size(); ++i) targets[i].name = "db-" + std::to_string(i);
  for (int count : {1, 2, 3, 7}) {
    std::map<std::string, int> owners;
    for (int index = 0; index < count; ++index) {
      const auto owned = TargetsOfShard(targets, {index, count});
      if (count > 1) {
        EXPECT_LT(owned.size(), targets.size()) << "shard " << index << "/" << count;
      }
      for (const TargetConfig& target : owned) ++owners[target.name];
    }
    EXPECT_EQ(owners.size(), targets.size()) << count;
    for (const auto& [name, times] : owners) EXPECT_EQ(times, 1) << name << " in " << count << " shards";
  }
}

TEST(ShardTest, FlagOverridesConfiguration) {
  Config config;
  config.agent.shard = "0/1";
  for (const char* name : {"a", "app-prod", "db-17"}) {
    TargetConfig target;
    target.name = name;
    config.targets.push_back(target);
  }
  KeepOwnTargets(config, std::string("1/3"));
  ASSERT_EQ(config.targets.size(), 1u);
  EXPECT_EQ(config.targets[0].name, "a");
  EXPECT_EQ(config.agent.shard, "1/3");
}

}  // namespace
}  // namespace pgposture
