// process_* metrics: /proc parsing from literal content, and this process's values.
#include "exporters/prometheus/process_metrics.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <ctime>

#include "tests/unit/exporters/prometheus/posture_fixtures.h"

namespace pgposture::testing {
namespace {

// /proc/self/stat of a process named "pg (a) b": fields 14-15 utime, stime;
// 22 starttime; 23 vsize; 24 rss.
constexpr const char* kStat =
    "4242 (pg (a) b) S 1 4242 4242 0 -1 4194560 2000 0 0 0 150 50 0 0 20 0 9 0 123456 "
    "987654321 2048 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessMetricsTest, ParsesProcStatWithParenthesesInTheName) {
  const auto stat = ParseProcStat(kStat);
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->cpu_ticks, 200);
  EXPECT_EQ(stat->start_time_ticks, 123456);
  EXPECT_EQ(stat->virtual_bytes, 987654321);
  EXPECT_EQ(stat->resident_pages, 2048);
}

TEST(ProcessMetricsTest, RejectsTruncatedOrGarbledStat) {
  EXPECT_FALSE(ParseProcStat(""));
  EXPECT_FALSE(ParseProcStat("4242 (pg) S 1 4242"));
  EXPECT_FALSE(ParseProcStat("4242 (pg) S 1 4242 4242 0 -1 4194560 2000 0 0 0 x 50 0 0 20 0 9 0 1 2 3\n"));
}

TEST(ProcessMetricsTest, ParsesBootTime) {
  EXPECT_EQ(ParseBootTime("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n"), 1700000000);
  EXPECT_FALSE(ParseBootTime("cpu  1 2 3\nxbtime 5\n"));
}

TEST(ProcessMetricsTest, ThisProcess) {
  Families out;
  AddProcessFamilies(out);
  const auto families = out.Take();
  EXPECT_GT(*Value(families, "process_resident_memory_bytes", {}), 1 << 20);
  EXPECT_GE(*Value(families, "process_virtual_memory_bytes", {}),
            *Value(families, "process_resident_memory_bytes", {}));
  EXPECT_GE(*Value(families, "process_cpu_seconds_total", {}), 0);
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_LE(*Value(families, "process_start_time_seconds", {}), now + 1);
  EXPECT_GT(*Value(families, "process_start_time_seconds", {}), now - 3600);
  EXPECT_GE(*Value(families, "process_open_fds", {}), 3);
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_EQ(*Value(families, "process_max_fds", {}), static_cast<double>(limit.rlim_cur));
}

}  // namespace
}  // namespace pgposture::testing
