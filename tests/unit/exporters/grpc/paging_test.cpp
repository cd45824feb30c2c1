#include "exporters/grpc/paging.h"

#include <gtest/gtest.h>

namespace pgposture {
namespace {

std::vector<Keyed<int>> Items(int count) {
  std::vector<Keyed<int>> items;
  for (int i = 0; i < count; ++i) items.push_back({SortableNumber(static_cast<std::uint64_t>(i)), i});
  return items;
}

TEST(PagingTest, PageSizeDefaultsAndIsCapped) {
  PageRequest page;
  ASSERT_TRUE(ReadPageRequest(0, "", "f", &page).ok());
  EXPECT_EQ(page.size, static_cast<std::size_t>(kDefaultPageSize));
  ASSERT_TRUE(ReadPageRequest(5000, "", "f", &page).ok());
  EXPECT_EQ(page.size, static_cast<std::size_t>(kMaxPageSize));
  const grpc::Status negative = ReadPageRequest(-1, "", "f", &page);
  EXPECT_EQ(negative.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(negative.error_message().rfind("page_size: ", 0), 0u);
}

TEST(PagingTest, WalksEveryItemOnceAcrossPages) {
  std::vector<int> seen;
  std::string token;
  int pages = 0;
  do {
    PageRequest page;
    ASSERT_TRUE(ReadPageRequest(3, token, "filters", &page).ok());
    for (int item : TakePage(Items(8), page, &token)) seen.push_back(item);
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(pages, 3);
}

TEST(PagingTest, LastFullPageHasNoToken) {
  PageRequest page;
  ASSERT_TRUE(ReadPageRequest(4, "", "f", &page).ok());
  std::string token;
  EXPECT_EQ(TakePage(Items(4), page, &token).size(), 4u);
  EXPECT_TRUE(token.empty());
}

TEST(PagingTest, ItemsRemovedBetweenPagesShiftNothing) {
  PageRequest first;
  ASSERT_TRUE(ReadPageRequest(2, "", "f", &first).ok());
  std::string token;
  EXPECT_EQ(TakePage(Items(6), first, &token), (std::vector<int>{0, 1}));
  std::vector<Keyed<int>> fewer = Items(6);
  fewer.erase(fewer.begin(), fewer.begin() + 2);  // 0 and 1 are gone
  PageRequest second;
  ASSERT_TRUE(ReadPageRequest(2, token, "f", &second).ok());
  EXPECT_EQ(TakePage(std::move(fewer), second, &token), (std::vector<int>{2, 3}));
}

TEST(PagingTest, RefusesTokensOfOtherFiltersOrMadeUp) {
  PageRequest first;
  ASSERT_TRUE(ReadPageRequest(1, "", "environment=prod", &first).ok());
  std::string token;
  TakePage(Items(3), first, &token);
  ASSERT_FALSE(token.empty());
  PageRequest page;
  const grpc::Status other = ReadPageRequest(1, token, "environment=staging", &page);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(other.error_message().find("page_token: made for other filters"), std::string::npos);
  for (const std::string& bad : std::vector<std::string>{"x", "1zz", "1abc", "2" + token.substr(1)}) {
    EXPECT_EQ(ReadPageRequest(1, bad, "environment=prod", &page).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT)
        << bad;
  }
}

}  // namespace
}  // namespace pgposture
