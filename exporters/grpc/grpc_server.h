// The gRPC server: PostureService, grpc.health.v1.Health and reflection.
#pragma once

#include <grpcpp/server.h>

#include <chrono>
#include <memory>
#include <string>

#include "exporters/collect_trigger.h"
#include "exporters/snapshot_source.h"

namespace pgposture {

class PostureService;
class ReadinessObserver;

/// Where and how the server listens (the `listen.grpc*` options).
struct GrpcServerOptions {
  /// host:port; port 0 lets the kernel choose (see GrpcServer::address()).
  std::string address = "127.0.0.1:9933";
  /// PEM files. With cert_file and key_file the server speaks TLS; with
  /// client_ca_file too, clients must present a certificate it signed.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  /// Files holding bearer tokens (see BearerAuth); empty: none.
  std::string token_file;
  std::string collect_token_file;
};

/// Serves from the moment it is constructed until Shutdown(). Health answers
/// NOT_SERVING until the source is ready (first cycle done), then SERVING.
class GrpcServer {
 public:
  /// Reads the certificate and token files and starts listening. Throws
  /// std::runtime_error naming the problem (an unreadable file, an address
  /// that cannot be bound).
  GrpcServer(const GrpcServerOptions& options, const SnapshotSource& source, CollectTrigger* trigger);
  ~GrpcServer();

  /// The address with the port bound, e.g. "127.0.0.1:40211" for ":0".
  const std::string& address() const { return address_; }
  bool tls() const { return tls_; }

  /// Health turns NOT_SERVING, watch streams and pending Collect calls end
  /// with UNAVAILABLE, and calls still running after `grace` are cancelled.
  /// Returns once the server has stopped; an on-demand collection may still
  /// be finishing (see WaitCollectsDone).
  void Shutdown(std::chrono::milliseconds grace);
  /// Waits until no on-demand collection runs; false when `deadline` came first.
  bool WaitCollectsDone(std::chrono::steady_clock::time_point deadline);

 private:
  const SnapshotSource& source_;
  std::unique_ptr<PostureService> service_;
  std::shared_ptr<ReadinessObserver> readiness_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  bool tls_ = false;
  bool shut_down_ = false;
};

}  // namespace pgposture
