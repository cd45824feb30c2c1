#include "exporters/prometheus/http_server.h"

#include <CivetServer.h>
#include <prometheus/text_serializer.h>

#include <cstring>

#include "exporters/prometheus/index_page.h"

namespace pgposture {
namespace {

// Scrapes, probes and a person's browser at once; a slow client holds one.
constexpr const char* kThreads = "4";
constexpr const char* kExpositionType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kTextType = "text/plain; charset=utf-8";

void Respond(mg_connection* conn, int status, const char* content_type, const std::string& body) {
  mg_response_header_start(conn, status);
  mg_response_header_add(conn, "Content-Type", content_type, -1);
  mg_response_header_add(conn, "Content-Length", std::to_string(body.size()).c_str(), -1);
  mg_response_header_add(conn, "Cache-Control", "no-store", -1);
  mg_response_header_send(conn);
  mg_write(conn, body.data(), body.size());
}

class MetricsHandler : public CivetHandler {
 public:
  explicit MetricsHandler(const PostureMetrics& metrics) : metrics_(metrics) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    Respond(conn, 200, kExpositionType, prometheus::TextSerializer().Serialize(metrics_.Collect()));
    return true;
  }

 private:
  const PostureMetrics& metrics_;
};

class HealthHandler : public CivetHandler {
 public:
  bool handleGet(CivetServer*, mg_connection* conn) override {
    Respond(conn, 200, kTextType, "ok\n");
    return true;
  }
};

class ReadyHandler : public CivetHandler {
 public:
  explicit ReadyHandler(const SnapshotSource& source) : source_(source) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    if (source_.ready()) {
      Respond(conn, 200, kTextType, "ready\n");
    } else {
      Respond(conn, 503, kTextType, "not ready: the first collection cycle is still running\n");
    }
    return true;
  }

 private:
  const SnapshotSource& source_;
};

// civetweb hands "/" every path no other handler took; only "/" itself is
// the page.
class IndexHandler : public CivetHandler {
 public:
  IndexHandler(const SnapshotSource& source, const BuildInfo& build) : source_(source), build_(build) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    if (std::strcmp(mg_get_request_info(conn)->local_uri, "/") != 0) {
      Respond(conn, 404, kTextType, "not found; see / for the endpoints\n");
    } else {
      Respond(conn, 200, "text/html; charset=utf-8", IndexPage(source_.List(), source_.ready(), build_));
    }
    return true;
  }

 private:
  const SnapshotSource& source_;
  const BuildInfo& build_;
};

}  // namespace

class MetricsServer::Handlers {
 public:
  Handlers(const SnapshotSource& source, BuildInfo build)
      : build_(std::move(build)),
        metrics_(source, build_),
        metrics_handler_(metrics_),
        ready_(source),
        index_(source, build_) {}

  void AddTo(CivetServer& server) {
    server.addHandler("/metrics", metrics_handler_);
    server.addHandler("/healthz", health_);
    server.addHandler("/readyz", ready_);
    server.addHandler("/", index_);
  }

 private:
  BuildInfo build_;
  PostureMetrics metrics_;
  MetricsHandler metrics_handler_;
  HealthHandler health_;
  ReadyHandler ready_;
  IndexHandler index_;
};

MetricsServer::MetricsServer(const std::string& address, const SnapshotSource& source, BuildInfo build)
    : handlers_(std::make_unique<Handlers>(source, std::move(build))),
      server_(std::make_unique<CivetServer>(
          std::vector<std::string>{"listening_ports", address, "num_threads", kThreads})) {
  handlers_->AddTo(*server_);
}

MetricsServer::~MetricsServer() = default;

std::vector<int> MetricsServer::ListeningPorts() const { return server_->getListeningPorts(); }

}  // namespace pgposture
