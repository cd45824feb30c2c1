#include "exporters/prometheus/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace pgposture {
namespace {

using prometheus::MetricType;

constexpr FamilySpec kCpu{"process_cpu_seconds_total", MetricType::Counter,
                          "Total user and system CPU time spent in seconds."};
constexpr FamilySpec kResident{"process_resident_memory_bytes", MetricType::Gauge,
                               "Resident memory size in bytes."};
constexpr FamilySpec kVirtual{"process_virtual_memory_bytes", MetricType::Gauge,
                              "Virtual memory size in bytes."};
constexpr FamilySpec kStartTime{"process_start_time_seconds", MetricType::Gauge,
                                "Start time of the process since unix epoch in seconds."};
constexpr FamilySpec kOpenFds{"process_open_fds", MetricType::Gauge, "Number of open file descriptors."};
constexpr FamilySpec kMaxFds{"process_max_fds", MetricType::Gauge,
                             "Maximum number of open file descriptors."};

// Positions in /proc/[pid]/stat after the command name, counting `state`
// (field 3 in proc(5)) as 0.
constexpr size_t kUtimeField = 11;
constexpr size_t kStimeField = 12;
constexpr size_t kStartTimeField = 19;
constexpr size_t kVsizeField = 20;
constexpr size_t kRssField = 21;

std::optional<double> Number(std::string_view text) {
  // std::from_chars, unlike strtod and streams, ignores the locale.
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string ReadFile(const char* path) {
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

std::optional<int> OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return std::nullopt;
  int count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the descriptor reading the directory
}

}  // namespace

std::optional<ProcStat> ParseProcStat(std::string_view content) {
  const size_t name_end = content.rfind(") ");
  if (name_end == std::string_view::npos) return std::nullopt;
  std::vector<std::string_view> fields;
  std::string_view rest = content.substr(name_end + 2);
  while (!rest.empty()) {
    const size_t end = rest.find_first_of(" \n");
    fields.push_back(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  }
  if (fields.size() <= kRssField) return std::nullopt;
  const auto utime = Number(fields[kUtimeField]), stime = Number(fields[kStimeField]);
  const auto start = Number(fields[kStartTimeField]);
  const auto vsize = Number(fields[kVsizeField]), rss = Number(fields[kRssField]);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  return ProcStat{*utime + *stime, *start, *vsize, *rss};
}

std::optional<double> ParseBootTime(std::string_view content) {
  constexpr std::string_view kKey = "btime ";
  while (!content.empty()) {
    const size_t end = content.find('\n');
    const std::string_view line = content.substr(0, end);
    if (line.substr(0, kKey.size()) == kKey) return Number(line.substr(kKey.size()));
    content.remove_prefix(end == std::string_view::npos ? content.size() : end + 1);
  }
  return std::nullopt;
}

void AddProcessFamilies(Families& out) {
  const double ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  if (const auto stat = ParseProcStat(ReadFile("/proc/self/stat"))) {
    out.Add(kCpu, {}, stat->cpu_ticks / ticks_per_second);
    out.Add(kResident, {}, stat->resident_pages * static_cast<double>(sysconf(_SC_PAGESIZE)));
    out.Add(kVirtual, {}, stat->virtual_bytes);
    // The boot time never changes; /proc/stat grows with the number of CPUs.
    static const std::optional<double> boot = ParseBootTime(ReadFile("/proc/stat"));
    if (boot) out.Add(kStartTime, {}, *boot + stat->start_time_ticks / ticks_per_second);
  }
  if (const auto fds = OpenFds()) out.Add(kOpenFds, {}, *fds);
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    out.Add(kMaxFds, {}, static_cast<double>(limit.rlim_cur));
  }
}

}  // namespace pgposture
