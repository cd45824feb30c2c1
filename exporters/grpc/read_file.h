// Whole small files read at start: tokens, certificates, keys.
#pragma once

#include <string>

namespace pgposture {

/// The content of file `path`. Throws std::runtime_error saying which file
/// (`what`, e.g. "listen.grpc_tls.cert_file") could not be read and why.
std::string ReadWholeFile(const std::string& path, const std::string& what);

}  // namespace pgposture
