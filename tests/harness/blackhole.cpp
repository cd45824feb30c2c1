#include "tests/harness/blackhole.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace pgposture::testing {
namespace {

std::system_error ErrnoError(const char* what) {
  return std::system_error(errno, std::generic_category(), what);
}

// A TCP socket bound to a kernel-chosen port on 127.0.0.1; stores the port.
int BindLoopback(int& port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw ErrnoError("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const std::system_error error = ErrnoError("bind 127.0.0.1:0");
    close(fd);
    throw error;
  }
  port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

Blackhole::Blackhole() {
  listen_fd_ = BindLoopback(port_);
  int wake[2];
  if (listen(listen_fd_, SOMAXCONN) != 0 || pipe2(wake, O_CLOEXEC) != 0) {
    const std::system_error error = ErrnoError("listen");
    close(listen_fd_);
    throw error;
  }
  wake_read_fd_ = wake[0];
  wake_write_fd_ = wake[1];
  thread_ = std::thread([this] { AcceptUntilWoken(); });
}

Blackhole::~Blackhole() {
  close(wake_write_fd_);
  thread_.join();
  close(wake_read_fd_);
  close(listen_fd_);
  for (int fd : connections_) close(fd);
}

void Blackhole::AcceptUntilWoken() {
  for (;;) {
    pollfd fds[] = {{listen_fd_, POLLIN, 0}, {wake_read_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;  // EINTR
    if (fds[1].revents != 0) return;
    const int connection = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection >= 0) {
      connections_.push_back(connection);
      ++accepted_;
    }
  }
}

int FreeLoopbackPortNobodyListensOn() {
  int port = 0;
  close(BindLoopback(port));
  return port;
}

}  // namespace pgposture::testing
