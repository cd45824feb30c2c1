#include "tests/bench/stop_signal.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <thread>

namespace pgposture::bench {
namespace {

// Held while a cleanup registers or leaves, and while the cleanups run, so
// that none runs on an object being destroyed: its owner waits here until
// the process ends.
std::mutex& CleanupsMutex() {
  static std::mutex mutex;
  return mutex;
}

std::list<std::function<void()>>& Cleanups() {
  static std::list<std::function<void()>> cleanups;
  return cleanups;
}

}  // namespace

void EndOnStopSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals] {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) return;
    // What the bench printed so far stays: _exit flushes nothing.
    std::fflush(stdout);
    std::fprintf(stderr, "stopped by signal %d: cleaning up\n", signal);
    std::lock_guard<std::mutex> lock(CleanupsMutex());
    for (auto cleanup = Cleanups().rbegin(); cleanup != Cleanups().rend(); ++cleanup) (*cleanup)();
    _exit(128 + signal);
  }).detach();
}

StopCleanup::StopCleanup(std::function<void()> cleanup) {
  std::lock_guard<std::mutex> lock(CleanupsMutex());
  registered_ = Cleanups().insert(Cleanups().end(), std::move(cleanup));
}

StopCleanup::~StopCleanup() {
  std::lock_guard<std::mutex> lock(CleanupsMutex());
  Cleanups().erase(registered_);
}

}  // namespace pgposture::bench
