// Failure classes from the messages libpq and PostgreSQL 15 really produce.
#include "agent/collect/failure.h"

#include <gtest/gtest.h>

#include <pqxx/except>

namespace pgposture {
namespace {

constexpr const char* kAt = "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  ";

v1::ErrorClass ConnectClass(const std::string& message, bool tls_disabled = false) {
  return ClassifyFailure(pqxx::broken_connection(kAt + message), {false, tls_disabled}).error_class;
}

TEST(FailureTest, RoleThatCannotLogInIsAuth) {
  EXPECT_EQ(ConnectClass("role \"pgposture\" is not permitted to log in"), v1::ERROR_CLASS_AUTH);
  EXPECT_EQ(ConnectClass("password authentication failed for user \"pgposture\""), v1::ERROR_CLASS_AUTH);
}

TEST(FailureTest, HbaRejectIsConnectWhateverTheEncryption) {
  const std::string reject =
      "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"pgposture\", database \"postgres\", ";
  EXPECT_EQ(ConnectClass(reject + "no encryption"), v1::ERROR_CLASS_CONNECT);
  // sslmode=prefer against a server with TLS: rejected with and without.
  EXPECT_EQ(ConnectClass(reject + "SSL encryption\n" + kAt + reject + "no encryption"),
            v1::ERROR_CLASS_CONNECT);
  EXPECT_EQ(ConnectClass(reject + "SSL encryption", /*tls_disabled=*/true), v1::ERROR_CLASS_CONNECT);
  EXPECT_EQ(ConnectClass("no pg_hba.conf entry for host \"127.0.0.1\", user \"x\", database \"does\", "
                         "SSL encryption"),
            v1::ERROR_CLASS_CONNECT);
}

TEST(FailureTest, UnencryptedAttemptTurnedAwayIsTlsWhenTheDsnDisablesIt) {
  EXPECT_EQ(ConnectClass("pg_hba.conf rejects connection for host \"127.0.0.1\", user \"pgposture\", "
                         "database \"postgres\", no encryption",
                         /*tls_disabled=*/true),
            v1::ERROR_CLASS_TLS);
  EXPECT_EQ(ConnectClass("no pg_hba.conf entry for host \"127.0.0.1\", user \"pgposture\", database "
                         "\"postgres\", no encryption",
                         /*tls_disabled=*/true),
            v1::ERROR_CLASS_TLS);
}

TEST(FailureTest, FullServerIsTooManyConnections) {
  EXPECT_EQ(ConnectClass("remaining connection slots are reserved for non-replication superuser connections"),
            v1::ERROR_CLASS_TOO_MANY_CONNECTIONS);
  EXPECT_EQ(ConnectClass("sorry, too many clients already"), v1::ERROR_CLASS_TOO_MANY_CONNECTIONS);
}

TEST(FailureTest, SessionEndedByTheServerIsConnect) {
  EXPECT_EQ(ClassifyFailure(pqxx::broken_connection("terminating connection due to administrator command\n"
                                                    "server closed the connection unexpectedly"),
                            {})
                .error_class,
            v1::ERROR_CLASS_CONNECT);
}

TEST(FailureTest, DeadlineWinsOverTheBrokenSession) {
  const Failure failure =
      ClassifyFailure(pqxx::broken_connection("server closed the connection"), {true, false});
  EXPECT_EQ(failure.error_class, v1::ERROR_CLASS_TIMEOUT);
  EXPECT_EQ(ErrorClassName(failure.error_class), "timeout");
}

}  // namespace
}  // namespace pgposture
