// Bearer tokens of the gRPC API: one for reading, optionally another that
// Collect needs.
#pragma once

#include <grpcpp/support/status.h>

#include <optional>
#include <string>
#include <string_view>

namespace pgposture {

/// What a call wants to do.
enum class Access { kRead, kCollect };

/// Checks the `authorization: Bearer <token>` metadata of calls. Tokens are
/// read once, at start; comparisons take the same time whatever the token
/// sent, so it cannot be guessed byte by byte.
class BearerAuth {
 public:
  /// `read_token`: every call needs it (or the collect token); empty: reads
  /// are open. `collect_token`: Collect needs it, the read token is then
  /// not enough; empty: Collect is a read like the others.
  BearerAuth(std::string read_token, std::string collect_token);

  /// OK; UNAUTHENTICATED when a needed token is missing or wrong;
  /// PERMISSION_DENIED when the read token is sent for Collect while Collect
  /// needs the collect token. `authorization` is the metadata value, nullopt
  /// when absent.
  grpc::Status Check(std::optional<std::string_view> authorization, Access access) const;

 private:
  std::string read_token_;
  std::string collect_token_;
};

/// The token in file `path`, without trailing whitespace (the newline an
/// editor adds). Throws std::runtime_error naming the file (`what`, e.g.
/// "listen.grpc_auth.token_file") when it cannot be read or is empty.
std::string ReadTokenFile(const std::string& path, const std::string& what);

/// Equality in time independent of where the strings differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace pgposture
