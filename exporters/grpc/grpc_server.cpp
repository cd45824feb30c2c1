#include "exporters/grpc/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <atomic>
#include <stdexcept>

#include "exporters/grpc/bearer_auth.h"
#include "exporters/grpc/posture_service.h"
#include "exporters/grpc/read_file.h"

namespace pgposture {
namespace {

// Requests are a name and a few filters.
constexpr int kMaxReceiveBytes = 64 * 1024;
// A posture with thousands of roles and hba rules stays well below this.
constexpr int kMaxSendBytes = 16 * 1024 * 1024;
// Pings an idle connection this often, so that a watch stream whose client
// vanished is noticed...
constexpr int kKeepaliveTimeMs = 60 * 1000;
// ...when the ping is not answered within this.
constexpr int kKeepaliveTimeoutMs = 20 * 1000;
// Clients may ping this often (gRPC's default refuses pings more often than
// every 5 minutes without data, closing the connections of clients that
// keep watch streams alive).
constexpr int kMinClientPingIntervalMs = 10 * 1000;
constexpr int kMaxConcurrentStreams = 256;

std::shared_ptr<grpc::ServerCredentials> Credentials(const GrpcServerOptions& options) {
  if (options.tls_cert_file.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl(options.tls_client_ca_file.empty()
                                            ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                            : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_key_cert_pairs.push_back({ReadWholeFile(options.tls_key_file, "listen.grpc_tls.key_file"),
                                    ReadWholeFile(options.tls_cert_file, "listen.grpc_tls.cert_file")});
  if (!options.tls_client_ca_file.empty()) {
    ssl.pem_root_certs = ReadWholeFile(options.tls_client_ca_file, "listen.grpc_tls.client_ca_file");
  }
  return grpc::SslServerCredentials(ssl);
}

std::string OptionalToken(const std::string& path, const char* what) {
  return path.empty() ? "" : ReadTokenFile(path, what);
}

}  // namespace

/// Turns health to SERVING when the source becomes ready.
class ReadinessObserver : public SnapshotObserver {
 public:
  void OnPublished(const DatabaseSnapshot&) override {}
  void OnReady() override {
    if (grpc::HealthCheckServiceInterface* health = health_.load()) health->SetServingStatus(true);
  }
  void Attach(grpc::HealthCheckServiceInterface* health) { health_ = health; }

 private:
  std::atomic<grpc::HealthCheckServiceInterface*> health_{nullptr};
};

GrpcServer::GrpcServer(const GrpcServerOptions& options, const SnapshotSource& source,
                       CollectTrigger* trigger)
    : source_(source),
      service_(std::make_unique<PostureService>(
          source, trigger,
          BearerAuth(OptionalToken(options.token_file, "listen.grpc_auth.token_file"),
                     OptionalToken(options.collect_token_file, "listen.grpc_auth.collect_token_file")))),
      readiness_(std::make_shared<ReadinessObserver>()),
      tls_(!options.tls_cert_file.empty()) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.address, Credentials(options), &port);
  builder.RegisterService(service_.get());
  builder.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  builder.SetMaxSendMessageSize(kMaxSendBytes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepaliveTimeMs);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kKeepaliveTimeoutMs);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, kMinClientPingIntervalMs);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams);
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0) {
    throw std::runtime_error("cannot listen on " + options.address +
                             "; is the port in use, or the certificate or key invalid?");
  }
  address_ = options.address.substr(0, options.address.rfind(':') + 1) + std::to_string(port);

  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  health->SetServingStatus(v1::PostureService::service_full_name(), false);
  health->SetServingStatus(false);
  readiness_->Attach(health);
  source_.AddObserver(readiness_);
  // Ready before the observer was added: it was not told.
  if (source_.ready()) health->SetServingStatus(true);
}

GrpcServer::~GrpcServer() {
  Shutdown(std::chrono::milliseconds::zero());
  source_.RemoveObserver(readiness_.get());
}

void GrpcServer::Shutdown(std::chrono::milliseconds grace) {
  if (shut_down_) return;
  shut_down_ = true;
  readiness_->Attach(nullptr);
  server_->GetHealthCheckService()->Shutdown();
  service_->Stop();
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
}

bool GrpcServer::WaitCollectsDone(std::chrono::steady_clock::time_point deadline) {
  return service_->WaitCollectsDone(deadline);
}

}  // namespace pgposture
