// An in-process HTTP client for tests and benchmarks of the agent's endpoints
// (civetweb's client), for when starting curl per request would be the cost
// measured.
#pragma once

#include <string>

namespace pgposture::testing {

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

/// GET http://host:port/path over a new connection; throws
/// std::runtime_error when no response arrives.
HttpResponse HttpFetch(const std::string& host, int port, const std::string& path);

}  // namespace pgposture::testing
