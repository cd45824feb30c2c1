// A raw TCP client for tests that speak no protocol, or a broken one: garbage,
// truncated requests, connections that never send.
#pragma once

#include <chrono>
#include <string>

namespace pgposture::testing {

/// A TCP connection to 127.0.0.1, closed when destroyed.
class RawConnection {
 public:
  /// Connects to 127.0.0.1:`port`; throws std::system_error on failure.
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  /// Sends all of `bytes`, stopping early (false) when the peer closes or
  /// nothing can be sent for `timeout`: a server may stop reading a request
  /// it refused.
  bool Send(const std::string& bytes, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// What the peer sends until it closes the connection or `timeout` passes.
  std::string ReceiveUntilClosed(std::chrono::milliseconds timeout);
  /// True once the peer has closed the connection (or reset it).
  bool ClosedByPeer() const { return closed_by_peer_; }

 private:
  int fd_ = -1;
  bool closed_by_peer_ = false;
};

/// The "host:port" port as a number (throws std::invalid_argument).
int PortOf(const std::string& host_port);

}  // namespace pgposture::testing
