// The HTTP endpoints of the agent, on the `listen.metrics` address.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exporters/prometheus/metrics_collectable.h"
#include "exporters/snapshot_source.h"

class CivetServer;

namespace pgposture {

/// Serves, on one address, with civetweb (the server prometheus-cpp's
/// Exposer runs on, which has no room for other handlers):
///   /metrics  PostureMetrics in the Prometheus text format
///   /healthz  200 while the process serves requests
///   /readyz   200 once the first collection cycle has finished, 503 before
///   /         a page linking the others, with the agent's health
/// Every response is rendered from the snapshots; none waits on a database.
class MetricsServer {
 public:
  /// Listens on `address` ("host:port", IPv6 as "[::1]:port", port 0 for
  /// any free port); throws std::runtime_error when it cannot.
  MetricsServer(const std::string& address, const SnapshotSource& source, BuildInfo build);
  /// Stops listening and waits for requests in progress.
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  /// Serializes the snapshot part of /metrics again, if the snapshots
  /// changed: scrapes send it until the next call, and serialize only the
  /// agent's own families. For the end of every collection cycle; before
  /// the first call, /metrics has the agent's families only.
  void PrepareScrape() const;

  /// The ports bound, e.g. the one the kernel chose for port 0.
  std::vector<int> ListeningPorts() const;

 private:
  class Handlers;
  // Declared first so the server, which calls into them, stops before they go.
  std::unique_ptr<Handlers> handlers_;
  std::unique_ptr<CivetServer> server_;
};

}  // namespace pgposture
