#include "agent/collect/failure.h"

#include <cctype>
#include <pqxx/except>

#include "agent/report/one_line.h"

namespace pgposture {
namespace {

bool Contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// pg_hba.conf turned the connection away, explicitly (a reject rule) or for
// want of a matching rule. The message ends with the attempt's encryption;
// with sslmode=prefer libpq tries with TLS, then without, and reports both.
bool IsHbaRejection(const std::string& message) {
  return Contains(message, "pg_hba.conf rejects connection") || Contains(message, "no pg_hba.conf entry");
}

bool OnlyUnencryptedAttempts(const std::string& message) {
  return Contains(message, "no encryption") && !Contains(message, "SSL encryption") &&
         !Contains(message, "GSS encryption");
}

v1::ErrorClass ClassOfConnectionMessage(const std::string& message, bool tls_disabled) {
  // Before the other rules: the message quotes user and database names, and
  // says "SSL encryption" when the attempt had TLS and was turned away anyway.
  if (IsHbaRejection(message)) {
    // hostssl-only rules or a hostnossl reject look the same as any other
    // rule from here; an unencrypted attempt from a DSN that forbids TLS
    // points at TLS, which is what the user must change.
    return tls_disabled && OnlyUnencryptedAttempts(message) ? v1::ERROR_CLASS_TLS : v1::ERROR_CLASS_CONNECT;
  }
  if (Contains(message, "password authentication failed") ||
      Contains(message, "is not permitted to log in") || Contains(message, "no password supplied") ||
      Contains(message, "does not exist") || Contains(message, "authentication failed")) {
    return v1::ERROR_CLASS_AUTH;
  }
  if (Contains(message, "too many clients") || Contains(message, "remaining connection slots")) {
    return v1::ERROR_CLASS_TOO_MANY_CONNECTIONS;
  }
  if (Contains(message, "SSL") || Contains(message, "certificate")) return v1::ERROR_CLASS_TLS;
  if (Contains(message, "timeout expired")) return v1::ERROR_CLASS_TIMEOUT;
  return v1::ERROR_CLASS_CONNECT;
}

}  // namespace

std::string ErrorClassName(v1::ErrorClass error_class) {
  std::string name = v1::ErrorClass_Name(error_class).substr(sizeof("ERROR_CLASS_") - 1);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

Failure ClassifyFailure(const std::exception& error, const FailureContext& context) {
  const std::string message = OneLine(error.what());
  if (context.deadline_expired)
    return {v1::ERROR_CLASS_TIMEOUT, "deadline exceeded: the server did not answer in time"};
  if (const auto* own = dynamic_cast<const CollectionError*>(&error)) return {own->error_class(), message};
  if (dynamic_cast<const pqxx::too_many_connections*>(&error)) {
    return {v1::ERROR_CLASS_TOO_MANY_CONNECTIONS, message};
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&error))
    return {ClassOfConnectionMessage(message, context.tls_disabled), message};
  if (dynamic_cast<const pqxx::sql_error*>(&error)) return {v1::ERROR_CLASS_QUERY, message};
  return {v1::ERROR_CLASS_CONNECT, message};
}

}  // namespace pgposture
