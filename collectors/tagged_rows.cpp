#include "collectors/tagged_rows.h"

#include <google/protobuf/util/time_util.h>

#include <charconv>

namespace pgposture {
namespace {

std::optional<std::string> Column(const pqxx::row& row, int index) {
  const pqxx::field field = row[index];
  if (field.is_null()) return std::nullopt;
  return std::string(field.c_str(), field.size());
}

}  // namespace

std::optional<std::int64_t> Int64Column(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  std::int64_t number = 0;
  const char* end = value->data() + value->size();
  const auto [parsed_to, error] = std::from_chars(value->data(), end, number);
  if (error != std::errc() || parsed_to != end) return std::nullopt;
  return number;
}

std::optional<google::protobuf::Timestamp> EpochMicrosColumn(const std::optional<std::string>& value) {
  const std::optional<std::int64_t> micros = Int64Column(value);
  if (!micros) return std::nullopt;
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(*micros);
}

std::string EpochMicrosSql(const std::string& expression) {
  // The cast to bigint fails on infinity, which a hand-edited table may hold.
  return "CASE WHEN pg_catalog.isfinite(" + expression + ") THEN (pg_catalog.extract('epoch', " + expression +
         ") * 1000000)::bigint::text END";
}

std::string UnionOfParts(const std::vector<std::string>& statements) {
  std::string sql;
  for (size_t part = 0; part < statements.size(); ++part) {
    if (part > 0) sql += "\nUNION ALL\n";
    // The column list names the columns whatever the statement calls them;
    // the casts give every part the same column types.
    sql += "SELECT " + std::to_string(part) +
           " AS part, q.kind::text, q.a::text, q.b::text, q.c::text FROM (\n" + statements[part] +
           "\n) AS q(kind, a, b, c)";
  }
  return sql;
}

std::vector<TaggedRows> SplitParts(const pqxx::result& result, size_t parts) {
  std::vector<TaggedRows> split(parts);
  for (const pqxx::row& row : result) {
    const auto part = row[0].as<size_t>();
    if (part < parts) split[part].push_back({row[1].c_str(), Column(row, 2), Column(row, 3), Column(row, 4)});
  }
  return split;
}

TaggedRows ToTaggedRows(const pqxx::result& result) {
  TaggedRows rows;
  rows.reserve(result.size());
  for (const pqxx::row& row : result) {
    rows.push_back({row[0].c_str(), Column(row, 1), Column(row, 2), Column(row, 3)});
  }
  return rows;
}

}  // namespace pgposture
