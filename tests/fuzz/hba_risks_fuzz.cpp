// HbaRisks reads pg_hba_file_rules rows: the address and netmask as the
// server printed them, or as written for names. Properties: each risk at
// most once; none for local, reject or unparsable lines; OPEN_TO_ALL exactly
// when IsOpenToAll; no remote risk for a local address; for IP addresses,
// the verdicts depend on the address, not on how it is spelled, and a
// network is never both loopback-only and open to all.
#include <arpa/inet.h>
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collectors/network/hba_risks.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using pgposture::v1::HbaRisk;

constexpr std::array<const char*, 7> kTypes{"local",      "host",         "hostssl", "hostnossl",
                                            "hostgssenc", "hostnogssenc", "include"};
constexpr std::array<const char*, 9> kMethods{"trust", "reject", "scram-sha-256", "md5", "password",
                                              "cert",  "peer",   "ident",         "gss"};

// A known keyword most of the time, so that the address logic gets explored.
template <std::size_t N>
std::string KeywordOrText(FuzzedDataProvider& input, const std::array<const char*, N>& keywords) {
  if (input.ConsumeBool()) return input.ConsumeRandomLengthString(32);
  return keywords[input.ConsumeIntegralInRange<std::size_t>(0, N - 1)];
}

// `text` as inet_ntop prints it, or nullopt when it is not an IP address.
std::optional<std::string> Canonical(const std::string& text) {
  std::array<unsigned char, 16> bytes{};
  std::array<char, INET6_ADDRSTRLEN> printed{};
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, text.c_str(), bytes.data()) == 1) {
      return std::string(inet_ntop(family, bytes.data(), printed.data(), printed.size()));
    }
  }
  return std::nullopt;
}

bool IsRemoteRisk(HbaRisk risk) { return risk != pgposture::v1::HBA_RISK_OPEN_TO_ALL; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  pgposture::v1::HbaRule rule;
  rule.set_type(KeywordOrText(input, kTypes));
  rule.set_auth_method(KeywordOrText(input, kMethods));
  if (input.ConsumeIntegralInRange(0, 15) == 0) rule.set_error(input.ConsumeRandomLengthString(32));
  rule.set_address(input.ConsumeRandomLengthString(64));
  rule.set_netmask(input.ConsumeRemainingBytesAsString());

  const std::vector<HbaRisk> risks = pgposture::HbaRisks(rule);
  FUZZ_CHECK(std::set<HbaRisk>(risks.begin(), risks.end()).size() == risks.size());
  FUZZ_CHECK(std::count(risks.begin(), risks.end(), pgposture::v1::HBA_RISK_UNSPECIFIED) == 0);
  if (!rule.error().empty() || rule.type() == "local" || rule.auth_method() == "reject") {
    FUZZ_CHECK(risks.empty());
    return 0;
  }
  const bool open = pgposture::IsOpenToAll(rule.address(), rule.netmask());
  const bool local = pgposture::IsLocalAddress(rule.address(), rule.netmask());
  FUZZ_CHECK(open == (std::count(risks.begin(), risks.end(), pgposture::v1::HBA_RISK_OPEN_TO_ALL) == 1));
  if (local) FUZZ_CHECK(std::none_of(risks.begin(), risks.end(), IsRemoteRisk));
  if (!local && rule.auth_method() == "trust") {
    FUZZ_CHECK(std::count(risks.begin(), risks.end(), pgposture::v1::HBA_RISK_REMOTE_TRUST) == 1);
  }

  const std::optional<std::string> address = Canonical(rule.address());
  const std::optional<std::string> netmask = Canonical(rule.netmask());
  if (address && (netmask || rule.netmask().empty())) {
    const std::string mask = netmask.value_or("");
    FUZZ_CHECK(pgposture::IsLocalAddress(*address, mask) == local);
    FUZZ_CHECK(pgposture::IsOpenToAll(*address, mask) == open);
    FUZZ_CHECK(!(local && open));
  }
  return 0;
}
