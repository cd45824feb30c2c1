// Client addresses against configured networks.
#pragma once

#include <array>
#include <optional>
#include <string>

namespace pgposture {

/// An IPv4 or IPv6 network.
struct Cidr {
  int family = 0;
  std::array<unsigned char, 16> address{};
  int prefix_length = 0;
};

/// "10.20.0.0/24" or "fd00::/64"; nullopt when malformed.
std::optional<Cidr> ParseCidr(const std::string& text);

/// True when `address` (as PostgreSQL's host() prints it) lies in `network`.
bool CidrContains(const Cidr& network, const std::string& address);

}  // namespace pgposture
