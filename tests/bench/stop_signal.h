// Ctrl-C for benches that measure rather than stop early: what they started
// outside their own process is cleaned up before they end.
#pragma once

#include <functional>
#include <list>

namespace pgposture::bench {

/// Makes SIGINT and SIGTERM end the bench at once, with what it printed so
/// far, after the StopCleanups alive then, newest first; the exit status is
/// 128 + the signal. Call it
/// first in main, before any thread starts: it blocks both signals, so
/// that every thread inherits the mask, and starts the thread that waits
/// for them. Without it, a bench ended by a signal runs no destructor, and
/// its cluster, whose postmaster pg_ctl detaches from the terminal, keeps
/// running; so does the daemon after a SIGTERM to the bench alone.
void EndOnStopSignal();

/// Work to do if a stop signal ends the bench while this lives: destroying
/// a cluster, stopping a process. Inert unless EndOnStopSignal was called.
class StopCleanup {
 public:
  explicit StopCleanup(std::function<void()> cleanup);
  ~StopCleanup();
  StopCleanup(const StopCleanup&) = delete;
  StopCleanup& operator=(const StopCleanup&) = delete;

 private:
  std::list<std::function<void()>>::iterator registered_;
};

}  // namespace pgposture::bench
