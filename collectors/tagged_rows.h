// The row shape every collector's SQL returns.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <optional>
#include <pqxx/result>
#include <string>
#include <tuple>
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

/// A tagged-rows statement and the values of its parameters $1, $2, ...
/// Values go as parameters, not in the text, so that the text stays the
/// same from cycle to cycle and the server can keep its plan.
struct TaggedQuery {
  // Implicit: most statements have no parameters.
  TaggedQuery(std::string text = {}, std::vector<std::string> values = {})  // NOLINT(runtime/explicit)
      : sql(std::move(text)), params(std::move(values)) {}
  TaggedQuery(const char* text) : sql(text) {}  // NOLINT(runtime/explicit)
  bool operator<(const TaggedQuery& other) const {
    return std::tie(sql, params) < std::tie(other.sql, other.params);
  }

  std::string sql;
  std::vector<std::string> params;
};

/// One statement running every tagged-rows statement of `statements`, each
/// a part told apart by a leading column `part` (its index), so that several
/// collectors' statements cost one round trip. Parameters are renumbered
/// after those of the parts before.
TaggedQuery UnionOfParts(const std::vector<TaggedQuery>& statements);
/// The rows of UnionOfParts' result, by part; `parts` is statements.size().
std::vector<TaggedRows> SplitParts(const pqxx::result& result, size_t parts);

/// A boolean column: "t" as a bool is sent, "true" as bool::text reads.
inline bool IsTrue(const std::optional<std::string>& value) {
  return value && (*value == "t" || *value == "true");
}

/// An integer column; nullopt for NULL or anything but a decimal int64.
std::optional<std::int64_t> Int64Column(const std::optional<std::string>& value);

/// A time column sent as epoch microseconds (EpochMicrosSql); nullopt for
/// NULL.
std::optional<google::protobuf::Timestamp> EpochMicrosColumn(const std::optional<std::string>& value);

/// SQL turning the timestamptz `expression` into epoch microseconds as text,
/// NULL when infinite. Cast a timestamp to timestamptz first: its epoch
/// would otherwise ignore the time zone.
std::string EpochMicrosSql(const std::string& expression);

}  // namespace pgposture
