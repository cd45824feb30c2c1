// Stand-ins for unhealthy database hosts: one that hangs, one that is down.
#pragma once

#include <atomic>
#include <thread>
#include <vector>

namespace pgposture::testing {

/// A TCP listener on 127.0.0.1 that accepts every connection and never sends
/// a byte, keeping the connections open until destroyed: a database host that
/// stopped answering. Throws std::system_error when it cannot listen.
class Blackhole {
 public:
  Blackhole();
  ~Blackhole();
  Blackhole(const Blackhole&) = delete;
  Blackhole& operator=(const Blackhole&) = delete;

  int port() const { return port_; }
  /// Connections accepted so far.
  int accepted() const { return accepted_; }

 private:
  void AcceptUntilWoken();

  int listen_fd_ = -1;
  int port_ = 0;
  // Closing the write end wakes the accepting thread for shutdown.
  int wake_read_fd_ = -1;
  int wake_write_fd_ = -1;
  std::atomic<int> accepted_{0};
  std::vector<int> connections_;  // owned by the thread until it is joined
  std::thread thread_;
};

/// A loopback port nothing listens on, so connecting is refused at once: a
/// database that is down. The kernel picks it from the ephemeral range, where
/// pgcluster.sh never puts a server.
int FreeLoopbackPortNobodyListensOn();

}  // namespace pgposture::testing
