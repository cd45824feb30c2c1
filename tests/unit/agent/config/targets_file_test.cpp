#include "agent/config/targets_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "agent/config/config_loader.h"

namespace pgposture {
namespace {

class TargetsFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/pgp-targets-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << content;
    return path;
  }

  std::string ErrorOf(const std::string& main) {
    try {
      LoadConfig(main);
    } catch (const ConfigError& error) {
      return error.what();
    }
    return "";
  }

  std::string dir_;
};

TEST_F(TargetsFileTest, TargetsComeFromTheFileToo) {
  Write("fleet.password", "secret\n");
  Write("fleet.yml",
        "targets:\n  - name: db-1\n    dsn: \"host=db1\"\n    password_file: fleet.password\n"
        "  - name: db-2\n    dsn: \"host=db2\"\n    environment: prod\n");
  const Config config = LoadConfig(
      Write("pgposture.yml", "targets_file: fleet.yml\ntargets:\n  - name: main\n    dsn: \"host=main\"\n"));
  ASSERT_EQ(config.targets.size(), 3u);
  EXPECT_EQ(config.targets[0].name, "main");
  EXPECT_EQ(config.targets[1].name, "db-1");
  EXPECT_EQ(config.targets[1].password_file, dir_ + "/fleet.password") << "relative to the targets file";
  EXPECT_EQ(config.targets[2].environment, "prod");
  EXPECT_EQ(config.targets_file, dir_ + "/fleet.yml");
}

TEST_F(TargetsFileTest, MainFileMayLeaveAllTargetsToTheFile) {
  Write("fleet.yml", "targets:\n  - name: db-1\n    dsn: \"host=db1\"\n");
  EXPECT_EQ(LoadConfig(Write("pgposture.yml", "targets_file: fleet.yml\n")).targets.size(), 1u);
  EXPECT_EQ(ErrorOf(Write("none.yml", "agent:\n  interval: 30s\n")),
            dir_ + "/none.yml:1:1: targets: missing required key");
}

TEST_F(TargetsFileTest, ErrorsNameTheTargetsFileAndThePlace) {
  Write("fleet.yml", "targets:\n  - name: db-1\n    dns: \"host=db1\"\n");
  const std::string main = Write("pgposture.yml", "targets_file: fleet.yml\n");
  EXPECT_EQ(ErrorOf(main).rfind(dir_ + "/fleet.yml:3:5: targets[0].dns: unknown key", 0), 0u)
      << ErrorOf(main);

  Write("fleet.yml", "agent:\n  interval: 1s\ntargets:\n  - name: db-1\n    dsn: \"host=db1\"\n");
  EXPECT_EQ(ErrorOf(main),
            dir_ + "/fleet.yml:1:1: agent: not allowed in a targets file, which holds only `targets`");

  // A key that is no setting at all is checked as any key is, before it is
  // shown: not valid UTF-8, too long, or unknown.
  Write("fleet.yml", "targets: []\n\xff\xfe: 1\n");
  EXPECT_EQ(ErrorOf(main).rfind(dir_ + "/fleet.yml:2:1: ", 0), 0u) << ErrorOf(main);
  EXPECT_EQ(ErrorOf(main).find("\xff"), std::string::npos) << ErrorOf(main);
  Write("fleet.yml", "targets: []\n? " + std::string(5000, 'k') + "\n: 1\n");
  EXPECT_EQ(ErrorOf(main).rfind(dir_ + "/fleet.yml:2:3: 5000 bytes long; at most 4096 are accepted", 0), 0u)
      << ErrorOf(main).substr(0, 200);
  Write("fleet.yml", "targest: []\n");
  EXPECT_EQ(ErrorOf(main), dir_ + "/fleet.yml:1:1: targest: unknown key; did you mean \"targets\"?");
  Write("fleet.yml", "agnt: {}\n");
  EXPECT_EQ(ErrorOf(main), dir_ + "/fleet.yml:1:1: agnt: unknown key; expected one of: targets");

  Write("fleet.yml", "targets:\n  - name: main\n    dsn: \"host=db1\"\n");
  const std::string both =
      Write("both.yml", "targets_file: fleet.yml\ntargets:\n  - name: main\n    dsn: \"host=x\"\n");
  EXPECT_NE(ErrorOf(both).find("duplicate target name \"main\""), std::string::npos) << ErrorOf(both);

  EXPECT_EQ(ErrorOf(Write("missing.yml", "targets_file: nowhere.yml\n")).rfind(dir_ + "/missing.yml:1:15", 0),
            0u)
      << ErrorOf(Write("missing.yml", "targets_file: nowhere.yml\n"));
}

TEST_F(TargetsFileTest, WatchSeesARewrite) {
  const std::string path = Write("fleet.yml", "targets: []\n");
  FileChangeWatch watch(path);
  EXPECT_FALSE(watch.Changed());
  std::ofstream(path) << "targets:\n  - name: db-1\n    dsn: \"host=db1\"\n";
  EXPECT_TRUE(watch.Changed());
  EXPECT_FALSE(watch.Changed());
  std::filesystem::remove(path);
  EXPECT_TRUE(watch.Changed());
}

}  // namespace
}  // namespace pgposture
