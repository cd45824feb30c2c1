#include "agent/systemd_notifier.h"

#include <systemd/sd-daemon.h>

namespace pgposture {

SystemdNotifier::SystemdNotifier() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    alive_every_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::microseconds(usec / 2));
  }
}

void SystemdNotifier::Ready(const std::string& status) {
  sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str());
}

void SystemdNotifier::Reloading() { sd_notify(0, "RELOADING=1"); }

void SystemdNotifier::Stopping() { sd_notify(0, "STOPPING=1"); }

void SystemdNotifier::Alive() { sd_notify(0, "WATCHDOG=1"); }

}  // namespace pgposture
