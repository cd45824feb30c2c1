#include "agent/config/duration.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace pgposture {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// The message of the std::invalid_argument ParseDuration throws for `text`.
std::string ParseError(std::string_view text) {
  try {
    ParseDuration(text);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  ADD_FAILURE() << "\"" << text << "\" was accepted";
  return "";
}

TEST(ParseDuration, ReadsEveryUnit) {
  EXPECT_EQ(ParseDuration("500ms"), milliseconds(500));
  EXPECT_EQ(ParseDuration("30s"), seconds(30));
  EXPECT_EQ(ParseDuration("5m"), minutes(5));
  EXPECT_EQ(ParseDuration("2h"), hours(2));
  EXPECT_EQ(ParseDuration("7d"), hours(7 * 24));
  EXPECT_EQ(ParseDuration("2w"), hours(14 * 24));
}

TEST(ParseDuration, AddsTermsFromLargestToSmallest) {
  EXPECT_EQ(ParseDuration("1m30s"), seconds(90));
  EXPECT_EQ(ParseDuration("1w2d3h4m5s6ms"), hours(9 * 24 + 3) + minutes(4) + seconds(5) + milliseconds(6));
  EXPECT_EQ(ParseDuration("1s500ms"), milliseconds(1500));
}

TEST(ParseDuration, ReadsZeroAndLeadingZeros) {
  EXPECT_EQ(ParseDuration("0s"), milliseconds(0));
  EXPECT_EQ(ParseDuration("007s"), seconds(7));
}

TEST(ParseDuration, RefusesEmpty) {
  EXPECT_EQ(ParseError(""), "invalid duration \"\": empty; use w, d, h, m, s or ms, as in 1m30s");
}

TEST(ParseDuration, RefusesNegative) {
  EXPECT_EQ(ParseError("-5s"), "invalid duration \"-5s\": negative durations are not allowed");
}

TEST(ParseDuration, RefusesNumberWithoutUnit) {
  EXPECT_EQ(ParseError("30"),
            "invalid duration \"30\": missing unit after 30; use w, d, h, m, s "
            "or ms, as in 1m30s");
  EXPECT_NE(ParseError("1m30").find("missing unit after 30"), std::string::npos);
}

TEST(ParseDuration, RefusesUnknownUnit) {
  EXPECT_EQ(ParseError("3y"),
            "invalid duration \"3y\": unknown unit \"y\"; use w, d, h, m, s or "
            "ms, as in 1m30s");
  EXPECT_NE(ParseError("30S").find("unknown unit \"S\""), std::string::npos);
  EXPECT_NE(ParseError("10sec").find("unknown unit \"sec\""), std::string::npos);
}

TEST(ParseDuration, RefusesUnitWithoutNumber) {
  EXPECT_NE(ParseError("s").find("expected a number at \"s\""), std::string::npos);
  EXPECT_NE(ParseError("1.5s").find("missing unit after 1"), std::string::npos);
  EXPECT_NE(ParseError(" 30s").find("expected a number"), std::string::npos);
  EXPECT_NE(ParseError("30s ").find("expected a number"), std::string::npos);
}

TEST(ParseDuration, RefusesUnitsOutOfOrderOrRepeated) {
  const std::string reason = "units must go from largest to smallest, each once";
  EXPECT_NE(ParseError("30s1m").find(reason), std::string::npos);
  EXPECT_NE(ParseError("1s1s").find(reason), std::string::npos);
  EXPECT_NE(ParseError("1ms1s").find(reason), std::string::npos);
}

TEST(ParseDuration, RefusesOverflow) {
  EXPECT_EQ(ParseError("9223372036854775808ms"), "invalid duration \"9223372036854775808ms\": too long");
  EXPECT_EQ(ParseError("100000000000w"), "invalid duration \"100000000000w\": too long");
  EXPECT_EQ(ParseError("15250w9223372036854775807ms"),
            "invalid duration \"15250w9223372036854775807ms\": too long");
  EXPECT_EQ(ParseDuration("9223372036854775807ms"), milliseconds(9223372036854775807));
}

TEST(FormatDuration, PrintsLargestUnitsFirstWithoutZeroTerms) {
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
  EXPECT_EQ(FormatDuration(milliseconds(500)), "500ms");
  EXPECT_EQ(FormatDuration(seconds(30)), "30s");
  EXPECT_EQ(FormatDuration(seconds(90)), "1m30s");
  EXPECT_EQ(FormatDuration(hours(1)), "1h");
  EXPECT_EQ(FormatDuration(hours(24 * 7)), "1w");
  EXPECT_EQ(FormatDuration(hours(24 * 8) + milliseconds(1)), "1w1d1ms");
}

TEST(FormatDuration, IsTheInverseOfParseDuration) {
  for (const char* text : {"1ms", "1s500ms", "59m59s999ms", "2w6d23h", "1w1d1h1m1s1ms"}) {
    EXPECT_EQ(FormatDuration(ParseDuration(text)), text);
  }
  for (const milliseconds duration :
       {milliseconds(1), milliseconds(86'400'001), milliseconds(9223372036854775807)}) {
    EXPECT_EQ(ParseDuration(FormatDuration(duration)), duration);
  }
}

TEST(FormatDuration, RefusesNegative) {
  EXPECT_THROW(FormatDuration(milliseconds(-1)), std::invalid_argument);
}

}  // namespace
}  // namespace pgposture
