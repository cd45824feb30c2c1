#include "agent/collect/password_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "agent/collect/failure.h"

namespace pgposture {

std::string ReadPasswordFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    throw CollectionError(v1::ERROR_CLASS_CONFIG,
                          "cannot read password file " + path + ": " + std::strerror(errno));
  }
  std::string password;
  std::getline(file, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

}  // namespace pgposture
