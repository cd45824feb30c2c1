// Child processes for tests: run a program, feed it input, capture what it writes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace pgposture::testing {

/// What to run.
struct Command {
  // Implicit, so call sites can say RunProcess({{"ls", "-l"}}, timeout).
  Command(std::vector<std::string> argv_in, std::vector<std::string> env_in = {}, std::string input_in = {})
      : argv(std::move(argv_in)), env(std::move(env_in)), input(std::move(input_in)) {}

  /// argv[0] is looked up in this process's PATH unless it contains a slash.
  std::vector<std::string> argv;
  /// "NAME=value" entries added to the inherited environment, replacing
  /// inherited entries of the same name.
  std::vector<std::string> env;
  /// Written to the child's stdin, which is then closed.
  std::string input;
};

/// How a child ended, and everything it wrote.
struct ProcessResult {
  /// Exit status, or -1 when a signal ended the child.
  int exit_code = -1;
  /// The signal that ended the child, or 0.
  int signal = 0;
  std::string out;
  std::string err;
};

/// A child process running in the background. Its output is collected all
/// along, so a chatty child never blocks on a full pipe.
class Process {
 public:
  /// Starts the child; throws std::system_error when it cannot be started.
  explicit Process(Command command);
  /// Kills the child with SIGKILL if it still runs, and reaps it.
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }

  /// Sends `signal` to the child; does nothing once it has been reaped, so a
  /// recycled pid is never hit.
  void Kill(int signal);
  /// Waits up to `timeout` for the child to exit; nullopt while it runs.
  std::optional<ProcessResult> Wait(std::chrono::milliseconds timeout);
  /// What the child wrote so far, e.g. to wait for a "listening" line.
  std::string Stdout() const;
  std::string Stderr() const;

 private:
  void Monitor(int stdin_fd, int stdout_fd, int stderr_fd, const std::string& input);

  pid_t pid_ = -1;
  mutable std::mutex mutex_;
  std::condition_variable exited_changed_;
  bool exited_ = false;   // guarded by mutex_
  ProcessResult result_;  // guarded by mutex_, filled in as the child runs
  std::thread monitor_;
};

/// Runs `command` to completion. When it is still running after `timeout`,
/// kills it and throws std::runtime_error with what it wrote so far.
ProcessResult RunProcess(Command command, std::chrono::milliseconds timeout);

}  // namespace pgposture::testing
