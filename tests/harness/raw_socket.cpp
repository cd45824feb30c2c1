#include "tests/harness/raw_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace pgposture::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Milliseconds left until `deadline`, for poll().
int MillisecondsLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

RawConnection::RawConnection(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const std::system_error error(errno, std::generic_category(),
                                  "connect 127.0.0.1:" + std::to_string(port));
    close(fd_);
    throw error;
  }
}

RawConnection::~RawConnection() { close(fd_); }

bool RawConnection::Send(const std::string& bytes, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    pollfd ready{fd_, POLLOUT, 0};
    if (poll(&ready, 1, MillisecondsLeft(deadline)) <= 0) return false;
    const ssize_t count = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (count < 0 && errno != EAGAIN && errno != EINTR) {
      closed_by_peer_ = true;
      return false;
    }
    if (count > 0) sent += static_cast<std::size_t>(count);
  }
  return true;
}

std::string RawConnection::ReceiveUntilClosed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string received;
  char buffer[65536];
  while (true) {
    pollfd ready{fd_, POLLIN, 0};
    if (poll(&ready, 1, MillisecondsLeft(deadline)) <= 0) return received;
    const ssize_t count = recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR)) {
      closed_by_peer_ = true;
      return received;
    }
    if (count > 0) received.append(buffer, static_cast<std::size_t>(count));
  }
}

int PortOf(const std::string& host_port) { return std::stoi(host_port.substr(host_port.rfind(':') + 1)); }

}  // namespace pgposture::testing
