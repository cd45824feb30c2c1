// Why a database's collection failed, in words and as a class.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

struct Failure {
  v1::ErrorClass error_class = v1::ERROR_CLASS_UNSPECIFIED;
  /// One line, lowercase start, never a secret.
  std::string message;
};

/// "timeout" for ERROR_CLASS_TIMEOUT: the class as logs and metric labels name it.
std::string ErrorClassName(v1::ErrorClass error_class);

/// What classifying a failure needs besides the exception.
struct FailureContext {
  /// The deadline watcher broke the session.
  bool deadline_expired = false;
  /// The target's DSN says sslmode=disable, so a server turning away an
  /// unencrypted connection is asking for the TLS the DSN forbids.
  bool tls_disabled = false;
};

/// Classifies an exception thrown while connecting or collecting.
Failure ClassifyFailure(const std::exception& error, const FailureContext& context);

/// A collection that could not start for a reason of the agent's own (no
/// password file, reconnect backoff).
class CollectionError : public std::runtime_error {
 public:
  CollectionError(v1::ErrorClass error_class, const std::string& message)
      : std::runtime_error(message), error_class_(error_class) {}
  v1::ErrorClass error_class() const { return error_class_; }

 private:
  v1::ErrorClass error_class_;
};

}  // namespace pgposture
