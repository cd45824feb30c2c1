#include "exporters/grpc/paging.h"

#include <algorithm>
#include <string>

namespace pgposture {
namespace {

// Tokens are hex, so that a key may hold any byte and the token stays
// printable; "1" versions the format.
constexpr char kTokenVersion = '1';
constexpr char kHex[] = "0123456789abcdef";

std::string Hex(const std::string& bytes) {
  std::string text;
  text.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    text += kHex[byte >> 4];
    text += kHex[byte & 0xf];
  }
  return text;
}

std::optional<std::string> Unhex(const std::string& text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int value = 0;
    for (char c : {text[i], text[i + 1]}) {
      const char* digit = std::char_traits<char>::find(kHex, 16, c);
      if (digit == nullptr) return std::nullopt;
      value = value * 16 + static_cast<int>(digit - kHex);
    }
    bytes += static_cast<char>(value);
  }
  return bytes;
}

// FNV-1a: stable across processes, unlike std::hash, so that a token
// survives an agent restart.
std::uint64_t Fingerprint(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char byte : text) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  return hash;
}

grpc::Status InvalidToken(const std::string& why) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      "page_token: " + why + "; pass next_page_token of the previous response unchanged");
}

}  // namespace

std::string SortableNumber(std::uint64_t value) {
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) text[i] = kHex[value & 0xf];
  return text;
}

grpc::Status ReadPageRequest(std::int32_t page_size, const std::string& page_token, std::string filters,
                             PageRequest* out) {
  if (page_size < 0) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "page_size: must not be negative; 0 means " + std::to_string(kDefaultPageSize));
  }
  *out = PageRequest{};
  out->size = page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  out->filters = std::move(filters);
  if (page_token.empty()) return grpc::Status::OK;
  if (page_token.front() != kTokenVersion) return InvalidToken("not a token of this server");
  const std::optional<std::string> payload = Unhex(page_token.substr(1));
  if (!payload || payload->size() < 16) return InvalidToken("not a token of this server");
  if (payload->compare(0, 16, SortableNumber(Fingerprint(out->filters))) != 0) {
    return InvalidToken("made for other filters");
  }
  out->after = payload->substr(16);
  return grpc::Status::OK;
}

std::string PageToken(const PageRequest& request, const std::string& last_key) {
  return kTokenVersion + Hex(SortableNumber(Fingerprint(request.filters)) + last_key);
}

}  // namespace pgposture
