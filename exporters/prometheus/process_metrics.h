// The standard process_* metrics, which client_golang and others export and
// prometheus-cpp does not, read from /proc as they do.
#pragma once

#include <optional>
#include <string_view>

#include "exporters/prometheus/exposition.h"

namespace pgposture {

/// The fields of /proc/[pid]/stat the process_* metrics use, in kernel units.
struct ProcStat {
  double cpu_ticks = 0;         // utime + stime, in clock ticks
  double start_time_ticks = 0;  // since boot, in clock ticks
  double virtual_bytes = 0;     // vsize
  double resident_pages = 0;    // rss
};

/// Parses /proc/[pid]/stat; nullopt when it is malformed. The command name
/// may hold spaces and parentheses, so fields are counted from its last ')'.
std::optional<ProcStat> ParseProcStat(std::string_view content);

/// The `btime` line of /proc/stat: boot time in Unix seconds.
std::optional<double> ParseBootTime(std::string_view content);

/// Adds process_cpu_seconds_total, process_resident_memory_bytes,
/// process_virtual_memory_bytes, process_start_time_seconds,
/// process_open_fds and process_max_fds for this process; a family whose
/// source cannot be read is left out.
void AddProcessFamilies(Families& out);

}  // namespace pgposture
