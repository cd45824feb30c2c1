#include "collectors/backup/tool_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace pgposture {
namespace {

// Output beyond this is dropped: no backup tool's report is that large, and
// a runaway child must not exhaust the agent's memory.
constexpr size_t kMaxOutput = 16 << 20;

std::runtime_error Failure(const std::string& program, const std::string& what) {
  return std::runtime_error(program + " " + what);
}

// Appends what `fd` holds now; closes it and sets it to -1 at end of file.
void Drain(int& fd, std::string& sink) {
  std::array<char, 4096> buffer;
  for (;;) {
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      if (sink.size() < kMaxOutput) sink.append(buffer.data(), static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      if (n == 0 || errno != EAGAIN) {
        close(fd);
        fd = -1;
      }
      return;
    }
  }
}

}  // namespace

ToolOutput RunToolCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  const std::string& program = argv.at(0);
  // Close-on-exec, so processes other threads start meanwhile do not inherit
  // the pipes and hold them open.
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0)
    throw Failure(program, "not started: " + std::generic_category().message(errno));
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    const int error = errno;
    close(out_pipe[0]);
    close(out_pipe[1]);
    throw Failure(program, "not started: " + std::generic_category().message(error));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  // Its own process group, so that a timeout kills what it started too; no
  // blocked signals inherited from the agent's threads.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int spawn_error = posix_spawnp(&pid, program.c_str(), &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawn_error != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw Failure(program, "not started: " + std::generic_category().message(spawn_error) +
                               "; is it installed and in the agent's PATH?");
  }

  ToolOutput output;
  int fds[2] = {out_pipe[0], err_pipe[0]};
  std::string* sinks[2] = {&output.out, &output.err};
  for (int fd : fds) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  bool reaped = false;
  while (!reaped) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    // Once both pipes are closed, only the exit is awaited, in short naps.
    const bool reading = fds[0] >= 0 || fds[1] >= 0;
    pollfd polled[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};  // poll skips negative fds
    poll(polled, 2, static_cast<int>(reading ? left.count() : std::min<long>(left.count(), 10)));
    for (int i = 0; i < 2; ++i) {
      if (fds[i] >= 0) Drain(fds[i], *sinks[i]);
    }
    if (fds[0] < 0 && fds[1] < 0) reaped = waitpid(pid, &status, WNOHANG) == pid;
  }
  for (int fd : fds) {
    if (fd >= 0) close(fd);
  }
  if (!reaped) {
    // Not reaped yet, so the process group id cannot have been reused.
    kill(-pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    throw Failure(program, "did not finish within " + std::to_string(timeout.count()) + " ms; killed it");
  }
  if (!WIFEXITED(status)) throw Failure(program, "was killed by signal " + std::to_string(WTERMSIG(status)));
  output.exit_code = WEXITSTATUS(status);
  return output;
}

}  // namespace pgposture
