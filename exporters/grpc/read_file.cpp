#include "exporters/grpc/read_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace pgposture {

std::string ReadWholeFile(const std::string& path, const std::string& what) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  if (file) content << file.rdbuf();
  if (!file || file.bad()) {
    throw std::runtime_error("cannot read " + what + " \"" + path + "\": " + std::strerror(errno) +
                             "; check the path and that this user may read it");
  }
  return content.str();
}

}  // namespace pgposture
