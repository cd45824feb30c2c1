#include "tests/harness/http_client.h"

#include <civetweb.h>
#include <strings.h>

#include <stdexcept>

namespace pgposture::testing {

HttpResponse HttpFetch(const std::string& host, int port, const std::string& path) {
  char error[256] = "";
  mg_connection* conn = mg_download(host.c_str(), port, /*use_ssl=*/0, error, sizeof(error),
                                    "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path.c_str(), host.c_str());
  if (conn == nullptr) throw std::runtime_error("GET " + path + " from " + host + " failed: " + error);
  HttpResponse response;
  const mg_response_info* info = mg_get_response_info(conn);
  response.status = info->status_code;
  for (int i = 0; i < info->num_headers; ++i) {
    if (strcasecmp(info->http_headers[i].name, "Content-Type") == 0) {
      response.content_type = info->http_headers[i].value;
    }
  }
  char buffer[1 << 16];
  int read = 0;
  while ((read = mg_read(conn, buffer, sizeof(buffer))) > 0) response.body.append(buffer, read);
  mg_close_connection(conn);
  return response;
}

}  // namespace pgposture::testing
