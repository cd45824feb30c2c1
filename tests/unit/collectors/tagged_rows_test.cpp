// Several collectors' statements as one: parts in order, parameters renumbered.
#include "collectors/tagged_rows.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pgposture {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(UnionOfPartsTest, NumbersThePartsAndRenumbersLaterParametersAfterEarlierOnes) {
  const TaggedQuery batch = UnionOfParts({
      {"SELECT 'x', $1, $2, NULL FROM t", {"a", "b"}},
      "SELECT 'y', $q$1$q$, $$2$$, NULL",
      {"SELECT kind, a, b, c FROM f($1::xid8, $2, $10)", {"c", "d", "e"}},
  });
  EXPECT_THAT(batch.params, ElementsAre("a", "b", "c", "d", "e"));
  EXPECT_THAT(batch.sql, HasSubstr("SELECT 0 AS part, q.kind::text, q.a::text, q.b::text, q.c::text FROM (\n"
                                   "SELECT 'x', $1, $2, NULL FROM t\n) AS q(kind, a, b, c)"));
  EXPECT_THAT(batch.sql, HasSubstr("SELECT 1 AS part"));
  // Dollar-quoted strings are no parameters.
  EXPECT_THAT(batch.sql, HasSubstr("SELECT 'y', $q$1$q$, $$2$$, NULL"));
  EXPECT_THAT(batch.sql, HasSubstr("SELECT 2 AS part"));
  EXPECT_THAT(batch.sql, HasSubstr("f($3::xid8, $4, $12)"));
  EXPECT_THAT(batch.sql, Not(HasSubstr("$10")));
}

}  // namespace
}  // namespace pgposture
