#include "tests/harness/test_certificate.h"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "tests/harness/process.h"

namespace pgposture::testing {

TestCertificate::TestCertificate() {
  char dir[] = "/tmp/pgp-ssl-XXXXXX";
  if (mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = dir;
  const ProcessResult result =
      RunProcess({{"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                   "-days", "1", "-keyout", dir_ + "/server.key", "-out", dir_ + "/server.crt"}},
                 std::chrono::seconds(60));
  if (result.exit_code != 0) throw std::runtime_error("openssl failed: " + result.err);
}

TestCertificate::~TestCertificate() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace pgposture::testing
