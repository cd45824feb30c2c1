#include "collectors/network/hba_risks.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <optional>

namespace pgposture {
namespace {

struct IpAddress {
  int family = AF_INET;
  std::array<unsigned char, 16> bytes{};
  /// 4 or 16.
  size_t size = 4;
};

std::optional<IpAddress> ParseIp(const std::string& text) {
  IpAddress ip;
  if (inet_pton(AF_INET, text.c_str(), ip.bytes.data()) == 1) return ip;
  ip.family = AF_INET6;
  ip.size = 16;
  if (inet_pton(AF_INET6, text.c_str(), ip.bytes.data()) == 1) return ip;
  return std::nullopt;
}

bool AllZero(const IpAddress& ip) {
  return std::all_of(ip.bytes.begin(), ip.bytes.begin() + ip.size, [](unsigned char b) { return b == 0; });
}

bool IsLoopbackNetwork(const IpAddress& address, const std::optional<IpAddress>& mask) {
  // Without a mask the address stands for one host.
  const auto mask_byte = [&mask](size_t i) -> unsigned char { return mask ? mask->bytes[i] : 0xff; };
  if (address.family == AF_INET) {
    // Inside 127.0.0.0/8 when the mask keeps at least the first octet.
    return address.bytes[0] == 127 && mask_byte(0) == 0xff;
  }
  // ::1/128 only.
  for (size_t i = 0; i < 16; ++i) {
    if (address.bytes[i] != (i == 15 ? 1 : 0) || mask_byte(i) != 0xff) return false;
  }
  return true;
}

bool Is(const std::string& value, std::initializer_list<const char*> options) {
  return std::any_of(options.begin(), options.end(),
                     [&value](const char* option) { return value == option; });
}

}  // namespace

bool IsLocalAddress(const std::string& address, const std::string& netmask) {
  if (Is(address, {"samehost", "localhost"})) return true;
  const std::optional<IpAddress> ip = ParseIp(address);
  if (!ip) return false;
  std::optional<IpAddress> mask;
  if (!netmask.empty()) {
    mask = ParseIp(netmask);
    if (!mask || mask->family != ip->family) return false;
  }
  return IsLoopbackNetwork(*ip, mask);
}

bool IsOpenToAll(const std::string& address, const std::string& netmask) {
  if (address == "all") return true;
  const std::optional<IpAddress> mask = ParseIp(netmask);
  return mask && AllZero(*mask);
}

std::vector<v1::HbaRisk> HbaRisks(const v1::HbaRule& rule) {
  std::vector<v1::HbaRisk> risks;
  if (!rule.error().empty() || rule.type() == "local" || rule.auth_method() == "reject") return risks;
  if (IsOpenToAll(rule.address(), rule.netmask())) risks.push_back(v1::HBA_RISK_OPEN_TO_ALL);
  if (IsLocalAddress(rule.address(), rule.netmask())) return risks;
  if (rule.auth_method() == "trust") risks.push_back(v1::HBA_RISK_REMOTE_TRUST);
  if (Is(rule.auth_method(), {"password", "md5"})) risks.push_back(v1::HBA_RISK_REMOTE_CLEARTEXT_OR_MD5);
  if (Is(rule.type(), {"host", "hostnossl", "hostnogssenc"})) risks.push_back(v1::HBA_RISK_REMOTE_NON_SSL);
  return risks;
}

}  // namespace pgposture
