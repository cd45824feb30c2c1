#include "exporters/prometheus/http_server.h"

#include <CivetServer.h>

#include <cstring>
#include <initializer_list>
#include <string_view>

#include "exporters/prometheus/index_page.h"
#include "exporters/prometheus/scrape_body.h"

namespace pgposture {
namespace {

// civetweb gives each connection a thread until its request is read: enough
// for scrapes, probes and a browser while a few clients sit silent...
constexpr const char* kThreads = "16";
// ...and each silent or slow client is dropped after this (civetweb's
// default, 30 s, let four silent connections stall every scrape).
constexpr const char* kRequestTimeoutMs = "5000";
constexpr const char* kExpositionType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kTextType = "text/plain; charset=utf-8";

// Sends a response whose body is `parts`, one after the other.
void Respond(mg_connection* conn, int status, const char* content_type,
             std::initializer_list<std::string_view> parts) {
  std::size_t length = 0;
  for (std::string_view part : parts) length += part.size();
  mg_response_header_start(conn, status);
  mg_response_header_add(conn, "Content-Type", content_type, -1);
  mg_response_header_add(conn, "Content-Length", std::to_string(length).c_str(), -1);
  mg_response_header_add(conn, "Cache-Control", "no-store", -1);
  mg_response_header_send(conn);
  for (std::string_view part : parts) mg_write(conn, part.data(), part.size());
}

class MetricsHandler : public CivetHandler {
 public:
  explicit MetricsHandler(const ScrapeBody& body) : body_(body) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    const ScrapeText text = body_.Render();
    Respond(conn, 200, kExpositionType, {text.agent, *text.snapshots});
    return true;
  }

 private:
  const ScrapeBody& body_;
};

class HealthHandler : public CivetHandler {
 public:
  bool handleGet(CivetServer*, mg_connection* conn) override {
    Respond(conn, 200, kTextType, {"ok\n"});
    return true;
  }
};

class ReadyHandler : public CivetHandler {
 public:
  explicit ReadyHandler(const SnapshotSource& source) : source_(source) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    if (source_.ready()) {
      Respond(conn, 200, kTextType, {"ready\n"});
    } else {
      Respond(conn, 503, kTextType, {"not ready: the first collection cycle is still running\n"});
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
      Respond(conn, 404, kTextType, {"not found; see / for the endpoints\n"});
    } else {
      Respond(conn, 200, "text/html; charset=utf-8", {IndexPage(source_.List(), source_.ready(), build_)});
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
        scrape_body_(source, metrics_),
        metrics_handler_(scrape_body_),
        ready_(source),
        index_(source, build_) {}

  void AddTo(CivetServer& server) {
    server.addHandler("/metrics", metrics_handler_);
    server.addHandler("/healthz", health_);
    server.addHandler("/readyz", ready_);
    server.addHandler("/", index_);
  }
  void PrepareScrape() const { scrape_body_.Refresh(); }

 private:
  BuildInfo build_;
  PostureMetrics metrics_;
  ScrapeBody scrape_body_;
  MetricsHandler metrics_handler_;
  HealthHandler health_;
  ReadyHandler ready_;
  IndexHandler index_;
};

MetricsServer::MetricsServer(const std::string& address, const SnapshotSource& source, BuildInfo build)
    : handlers_(std::make_unique<Handlers>(source, std::move(build))),
      server_(std::make_unique<CivetServer>(std::vector<std::string>{
          "listening_ports", address, "num_threads", kThreads, "request_timeout_ms", kRequestTimeoutMs})) {
  handlers_->AddTo(*server_);
}

MetricsServer::~MetricsServer() = default;

void MetricsServer::PrepareScrape() const { handlers_->PrepareScrape(); }

std::vector<int> MetricsServer::ListeningPorts() const { return server_->getListeningPorts(); }

}  // namespace pgposture
