// The README's configuration reference is generated from the option table.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "agent/config/config_schema.h"

namespace pgposture {
namespace {

TEST(ReadmeTest, ConfigurationReferenceIsCurrent) {
  std::ifstream file(PGPOSTURE_README);
  ASSERT_TRUE(file) << PGPOSTURE_README;
  std::stringstream readme;
  readme << file.rdbuf();
  const std::string reference = ConfigReferenceMarkdown();
  EXPECT_NE(readme.str().find(reference), std::string::npos)
      << "README.md's configuration reference is out of date; replace it with:\n"
      << reference;
}

}  // namespace
}  // namespace pgposture
