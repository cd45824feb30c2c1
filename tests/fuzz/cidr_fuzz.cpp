// ParseCidr reads policy.ddl.migration_client_cidrs, CidrContains matches
// client addresses against them. Properties: only "address/prefix" text with
// a decimal prefix in range is accepted; a network contains its own address;
// it prints (inet_ntop) to a text that parses back to the same network,
// which contains the same client addresses.
#include <arpa/inet.h>
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstdint>
#include <string>

#include "collectors/ddl/cidr.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

std::string Printed(const pgposture::Cidr& cidr) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  FUZZ_CHECK(inet_ntop(cidr.family, cidr.address.data(), text.data(), text.size()) != nullptr);
  return std::string(text.data()) + "/" + std::to_string(cidr.prefix_length);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const std::string text = input.ConsumeRandomLengthString();
  const std::string client = input.ConsumeRemainingBytesAsString();

  const std::optional<pgposture::Cidr> cidr = pgposture::ParseCidr(text);
  if (!cidr) return 0;
  const std::size_t slash = text.find('/');
  const std::string prefix = text.substr(slash + 1);
  FUZZ_CHECK(!prefix.empty() && prefix.size() <= 3 &&
             prefix.find_first_not_of("0123456789") == std::string::npos);
  FUZZ_CHECK(cidr->prefix_length >= 0 && cidr->prefix_length <= (cidr->family == AF_INET ? 32 : 128));
  FUZZ_CHECK(pgposture::CidrContains(*cidr, text.substr(0, slash)));

  const std::optional<pgposture::Cidr> reparsed = pgposture::ParseCidr(Printed(*cidr));
  FUZZ_CHECK(reparsed && reparsed->family == cidr->family && reparsed->address == cidr->address &&
             reparsed->prefix_length == cidr->prefix_length);
  FUZZ_CHECK(pgposture::CidrContains(*cidr, client) == pgposture::CidrContains(*reparsed, client));
  return 0;
}
