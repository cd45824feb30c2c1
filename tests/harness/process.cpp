#include "tests/harness/process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <set>
#include <stdexcept>
#include <system_error>
#include <utility>

extern char** environ;

namespace pgposture::testing {
namespace {

// How often the monitor looks for the child's exit when no output arrives.
constexpr int kPollIntervalMs = 10;

std::system_error ErrnoError(int error, const std::string& what) {
  return std::system_error(error, std::generic_category(), what);
}

std::vector<std::string> MergedEnvironment(const std::vector<std::string>& overrides) {
  auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  std::set<std::string> overridden;
  for (const std::string& entry : overrides) overridden.insert(name_of(entry));
  std::vector<std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (overridden.count(name_of(*entry)) == 0) merged.emplace_back(*entry);
  }
  merged.insert(merged.end(), overrides.begin(), overrides.end());
  return merged;
}

// posix_spawn wants a null-terminated char* array; `strings` must outlive it.
std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Reads what `fd` holds right now; closes it and sets it to -1 at end of file.
std::string ReadAvailable(int& fd) {
  std::string data;
  char buffer[4096];
  while (fd >= 0) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      data.append(buffer, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      break;
    } else {
      close(fd);
      fd = -1;
    }
  }
  return data;
}

// Writes as much of the rest of `input` as the pipe takes now; closes `fd`
// once all is written, so the child sees end of file, or once the child
// stopped reading.
void WriteAvailable(int& fd, const std::string& input, size_t& written) {
  while (fd >= 0 && written < input.size()) {
    const ssize_t n = write(fd, input.data() + written, input.size() - written);
    if (n >= 0) {
      written += static_cast<size_t>(n);
    } else if (errno == EAGAIN) {
      return;
    } else if (errno != EINTR) {
      break;
    }
  }
  if (fd >= 0) {
    close(fd);
    fd = -1;
  }
}

std::string Join(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& word : words) joined += (joined.empty() ? "" : " ") + word;
  return joined;
}

}  // namespace

Process::Process(Command command) {
  if (command.argv.empty()) throw std::invalid_argument("Process: empty argv");
  // Read and write ends of the child's stdin, stdout and stderr. Close-on-exec,
  // so children spawned at the same time by other threads do not inherit them
  // and hold the pipes open.
  int fds[6] = {-1, -1, -1, -1, -1, -1};
  auto close_all = [&fds] {
    for (int& fd : fds) {
      if (fd >= 0) close(fd);
      fd = -1;
    }
  };
  for (int i = 0; i < 3; ++i) {
    if (pipe2(&fds[2 * i], O_CLOEXEC) != 0) {
      const int error = errno;
      close_all();
      throw ErrnoError(error, "pipe2");
    }
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[3], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[5], STDERR_FILENO);
  // The child must see the signals tests send it, whatever this thread blocks.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> env = MergedEnvironment(command.env);
  const int error = posix_spawnp(&pid_, command.argv[0].c_str(), &actions, &attributes,
                                 CStrings(command.argv).data(), CStrings(env).data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  for (int child_end : {0, 3, 5}) {
    close(fds[child_end]);
    fds[child_end] = -1;
  }
  if (error != 0) {
    close_all();
    throw ErrnoError(error, "cannot run " + command.argv[0]);
  }
  // Non-blocking, so the monitor takes only what is there and keeps an eye on
  // all three pipes and the child's exit.
  for (int parent_end : {1, 2, 4}) {
    fcntl(fds[parent_end], F_SETFL, fcntl(fds[parent_end], F_GETFL) | O_NONBLOCK);
  }
  monitor_ = std::thread(&Process::Monitor, this, fds[1], fds[2], fds[4], std::move(command.input));
}

Process::~Process() {
  Kill(SIGKILL);
  monitor_.join();
}

void Process::Kill(int signal) {
  // Reaping happens under the same lock, so the pid is still ours here.
  std::lock_guard<std::mutex> lock(mutex_);
  if (!exited_) kill(pid_, signal);
}

std::optional<ProcessResult> Process::Wait(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!exited_changed_.wait_for(lock, timeout, [this] { return exited_; })) return std::nullopt;
  return result_;
}

std::string Process::Stdout() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return result_.out;
}

std::string Process::Stderr() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return result_.err;
}

void Process::Monitor(int stdin_fd, int stdout_fd, int stderr_fd, const std::string& input) {
  // A child that exits without reading all its input must not take the test
  // down with SIGPIPE; blocked in this thread, the write fails with EPIPE.
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);

  size_t written = 0;
  for (;;) {
    WriteAvailable(stdin_fd, input, written);
    pollfd fds[3];
    nfds_t count = 0;
    if (stdin_fd >= 0) fds[count++] = {stdin_fd, POLLOUT, 0};
    if (stdout_fd >= 0) fds[count++] = {stdout_fd, POLLIN, 0};
    if (stderr_fd >= 0) fds[count++] = {stderr_fd, POLLIN, 0};
    poll(fds, count, kPollIntervalMs);
    std::string out = ReadAvailable(stdout_fd);
    std::string err = ReadAvailable(stderr_fd);

    std::lock_guard<std::mutex> lock(mutex_);
    result_.out += out;
    result_.err += err;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) continue;
    // What the child wrote before exiting is still in the pipes. A grandchild
    // may hold them open for longer; its output is not waited for.
    result_.out += ReadAvailable(stdout_fd);
    result_.err += ReadAvailable(stderr_fd);
    for (int fd : {stdin_fd, stdout_fd, stderr_fd}) {
      if (fd >= 0) close(fd);
    }
    if (WIFEXITED(status)) {
      result_.exit_code = WEXITSTATUS(status);
    } else {
      result_.signal = WTERMSIG(status);
    }
    exited_ = true;
    exited_changed_.notify_all();
    return;
  }
}

ProcessResult RunProcess(Command command, std::chrono::milliseconds timeout) {
  const std::string description = Join(command.argv);
  Process process(std::move(command));
  if (std::optional<ProcessResult> result = process.Wait(timeout)) return *std::move(result);
  process.Kill(SIGKILL);
  throw std::runtime_error(description + " still running after " + std::to_string(timeout.count()) +
                           " ms; stdout: " + process.Stdout() + "; stderr: " + process.Stderr());
}

}  // namespace pgposture::testing
