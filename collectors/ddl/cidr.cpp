#include "collectors/ddl/cidr.h"

#include <arpa/inet.h>

namespace pgposture {
namespace {

int FamilyOf(const std::string& address) {
  return address.find(':') == std::string::npos ? AF_INET : AF_INET6;
}

}  // namespace

std::optional<Cidr> ParseCidr(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  Cidr cidr;
  cidr.family = FamilyOf(text.substr(0, slash));
  if (inet_pton(cidr.family, text.substr(0, slash).c_str(), cidr.address.data()) != 1) return std::nullopt;
  // Digits only: std::stoi alone would also read " 8", "+8" and "8junk".
  const std::string prefix = text.substr(slash + 1);
  if (prefix.empty() || prefix.size() > 3 || prefix.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  cidr.prefix_length = std::stoi(prefix);
  const int bits = cidr.family == AF_INET ? 32 : 128;
  if (cidr.prefix_length < 0 || cidr.prefix_length > bits) return std::nullopt;
  return cidr;
}

bool CidrContains(const Cidr& network, const std::string& address) {
  if (FamilyOf(address) != network.family) return false;
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(network.family, address.c_str(), bytes.data()) != 1) return false;
  for (int bit = 0; bit < network.prefix_length; ++bit) {
    const unsigned char mask = static_cast<unsigned char>(0x80u >> (bit % 8));
    if ((bytes[bit / 8] & mask) != (network.address[bit / 8] & mask)) return false;
  }
  return true;
}

}  // namespace pgposture
