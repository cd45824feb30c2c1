// A throwaway self-signed server certificate for SSL tests.
#pragma once

#include <string>

namespace pgposture::testing {

/// server.crt and server.key (CN=localhost, valid one day), made by openssl
/// in a fresh directory that is removed on destruction; usable as
/// PgClusterOptions::ssl_dir. Throws std::runtime_error when openssl fails.
class TestCertificate {
 public:
  TestCertificate();
  ~TestCertificate();
  TestCertificate(const TestCertificate&) = delete;
  TestCertificate& operator=(const TestCertificate&) = delete;

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

}  // namespace pgposture::testing
