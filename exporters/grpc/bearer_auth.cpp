#include "exporters/grpc/bearer_auth.h"

#include <cctype>
#include <stdexcept>

#include "exporters/grpc/read_file.h"

namespace pgposture {
namespace {

constexpr std::string_view kScheme = "bearer ";

// The token of "Bearer <token>" (the scheme is case-insensitive, RFC 6750).
std::optional<std::string_view> BearerToken(std::string_view authorization) {
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return std::nullopt;
  }
  return authorization.substr(kScheme.size());
}

grpc::Status Unauthenticated(std::string_view why) {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                      std::string(why) + "; send metadata \"authorization: Bearer <token>\"");
}

}  // namespace

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Only the length may leak; every byte of `b` is looked at either way.
  volatile unsigned char difference = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < b.size(); ++i) {
    difference = difference | static_cast<unsigned char>((i < a.size() ? a[i] : 0) ^ b[i]);
  }
  return difference == 0;
}

BearerAuth::BearerAuth(std::string read_token, std::string collect_token)
    : read_token_(std::move(read_token)), collect_token_(std::move(collect_token)) {}

grpc::Status BearerAuth::Check(std::optional<std::string_view> authorization, Access access) const {
  const bool needs_collect_token = access == Access::kCollect && !collect_token_.empty();
  if (!needs_collect_token && read_token_.empty()) return grpc::Status::OK;
  if (!authorization) return Unauthenticated("missing bearer token");
  const std::optional<std::string_view> token = BearerToken(*authorization);
  if (!token) return Unauthenticated("authorization is not a bearer token");
  // Both comparisons always run, so timing does not tell which token matched.
  const bool is_collect_token = !collect_token_.empty() && ConstantTimeEquals(*token, collect_token_);
  const bool is_read_token = !read_token_.empty() && ConstantTimeEquals(*token, read_token_);
  if (is_collect_token || (is_read_token && !needs_collect_token)) return grpc::Status::OK;
  if (is_read_token) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "Collect needs the collect token (listen.grpc_auth.collect_token_file); this token "
                        "may only read");
  }
  return Unauthenticated("invalid bearer token");
}

std::string ReadTokenFile(const std::string& path, const std::string& what) {
  std::string token = ReadWholeFile(path, what);
  token.erase(token.find_last_not_of(" \t\r\n") + 1);
  if (token.empty()) throw std::runtime_error(what + " \"" + path + "\" is empty; write the token into it");
  return token;
}

}  // namespace pgposture
