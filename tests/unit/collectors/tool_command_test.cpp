#include "collectors/backup/tool_command.h"

#include <gtest/gtest.h>

#include <chrono>

namespace pgposture {
namespace {

using namespace std::chrono_literals;

TEST(ToolCommandTest, CapturesOutputAndExitCode) {
  const ToolOutput output = RunToolCommand({"sh", "-c", "echo out; echo err >&2; exit 3"}, 5s);
  EXPECT_EQ(output.exit_code, 3);
  EXPECT_EQ(output.out, "out\n");
  EXPECT_EQ(output.err, "err\n");
}

TEST(ToolCommandTest, StdinIsEmpty) { EXPECT_EQ(RunToolCommand({"cat"}, 5s).out, ""); }

TEST(ToolCommandTest, TimeoutKillsTheCommand) {
  const auto started = std::chrono::steady_clock::now();
  // The background sleep holds stdout open: the timeout must not wait for it.
  EXPECT_THROW(
      {
        try {
          RunToolCommand({"sh", "-c", "sleep 30 & sleep 30"}, 300ms);
        } catch (const std::runtime_error& error) {
          EXPECT_STREQ(error.what(), "sh did not finish within 300 ms; killed it");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(ToolCommandTest, MissingProgramSaysSo) {
  try {
    RunToolCommand({"pgposture-no-such-tool"}, 5s);
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("pgposture-no-such-tool not started"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace pgposture
