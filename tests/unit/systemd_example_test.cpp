// The example configuration shipped next to the unit file loads as it is.
#include <gtest/gtest.h>

#include "agent/config/config_loader.h"

namespace pgposture {
namespace {

TEST(SystemdExampleTest, ExampleConfigurationIsValid) {
  const Config config = LoadConfig(PGPOSTURE_EXAMPLE_CONFIG);
  ASSERT_EQ(config.targets.size(), 2u);
  EXPECT_EQ(config.targets[0].environment, "prod");
  EXPECT_TRUE(config.targets[0].all_databases);
  EXPECT_EQ(config.listen.metrics, "127.0.0.1:9932");
}

}  // namespace
}  // namespace pgposture
