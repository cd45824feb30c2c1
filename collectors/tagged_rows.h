// The row shape every collector's SQL returns.
#pragma once

#include <optional>
#include <pqxx/result>
#include <string>
#include <vector>

namespace pgposture {

/// One row of a collector query. Each collector gathers all of its facts in
/// one statement (one round trip) as a UNION ALL of differently shaped rows,
/// told apart by `kind`; its pure parser then reads them. Tests feed literal
/// TaggedRows to the parsers.
struct TaggedRow {
  std::string kind;
  std::optional<std::string> a;
  std::optional<std::string> b;
  std::optional<std::string> c;
};

using TaggedRows = std::vector<TaggedRow>;

/// Converts a result with columns (kind, a, b, c); NULL becomes nullopt.
TaggedRows ToTaggedRows(const pqxx::result& result);

/// A boolean column: "t" as a bool is sent, "true" as bool::text reads.
inline bool IsTrue(const std::optional<std::string>& value) {
  return value && (*value == "t" || *value == "true");
}

}  // namespace pgposture
