// Readiness, reload, stop and watchdog messages for systemd (Type=notify).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace pgposture {

/// Writes to $NOTIFY_SOCKET through sd_notify(); without a notify socket
/// (not under systemd) every call does nothing.
class SystemdNotifier {
 public:
  SystemdNotifier();

  /// READY=1: configuration valid, listeners bound, first cycle done.
  void Ready(const std::string& status);
  /// RELOADING=1 ... then Ready() again.
  void Reloading();
  void Stopping();
  /// WATCHDOG=1.
  void Alive();

  /// How often Alive() is due: half of WatchdogSec, or nullopt when systemd
  /// runs no watchdog for this service.
  std::optional<std::chrono::milliseconds> alive_every() const { return alive_every_; }

 private:
  std::optional<std::chrono::milliseconds> alive_every_;
};

}  // namespace pgposture
