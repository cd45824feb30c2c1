// List paging as https://google.aip.dev/158 describes it: page_size with a
// server maximum, opaque page tokens tied to the request's filters.
#pragma once

#include <grpcpp/support/status.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pgposture {

/// Page size when the request says 0.
constexpr int kDefaultPageSize = 50;
/// Larger page sizes are read as this.
constexpr int kMaxPageSize = 1000;

/// A request's page_size and page_token, decoded.
struct PageRequest {
  std::size_t size = kDefaultPageSize;
  /// Sort key of the previous page's last item; nullopt on the first page.
  std::optional<std::string> after;
  /// The request's filters, as passed to ReadPageRequest.
  std::string filters;
};

/// Decodes page_size and page_token. `filters` is any text that changes
/// whenever the request's filters do: a token made for other filters is
/// refused. INVALID_ARGUMENT naming the field otherwise.
grpc::Status ReadPageRequest(std::int32_t page_size, const std::string& page_token, std::string filters,
                             PageRequest* out);

/// A list item with its sort key: items are listed by ascending key, and
/// keys are unique.
template <typename T>
struct Keyed {
  std::string key;
  T item;
};

/// The token that makes the next request continue after `last_key`.
std::string PageToken(const PageRequest& request, const std::string& last_key);

/// The page of `items` (sorted by key) that `request` asks for; sets
/// *next_page_token, empty on the last page. Items added or removed between
/// pages shift nothing: a page starts after the previous page's last key.
template <typename T>
std::vector<T> TakePage(std::vector<Keyed<T>> items, const PageRequest& request,
                        std::string* next_page_token) {
  auto it = items.begin();
  if (request.after) {
    while (it != items.end() && it->key <= *request.after) ++it;
  }
  std::vector<T> page;
  next_page_token->clear();
  for (; it != items.end(); ++it) {
    if (page.size() == request.size) {
      *next_page_token = PageToken(request, std::prev(it)->key);
      break;
    }
    page.push_back(std::move(it->item));
  }
  return page;
}

/// `value` as 16 hex digits, so that keys built from numbers sort as the
/// numbers do.
std::string SortableNumber(std::uint64_t value);

}  // namespace pgposture
