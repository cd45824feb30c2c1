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

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsTagChar(char c) { return IsDigit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// `sql` with every parameter $n written $(n + offset). Dollar-quoted strings
// ($tag$...$tag$, whose tag never starts with a digit) are copied as they
// are; our statements hold no "$" in quoted literals.
std::string ShiftParameters(const std::string& sql, size_t offset) {
  if (offset == 0) return sql;
  std::string shifted;
  for (size_t at = 0; at < sql.size(); ++at) {
    if (sql[at] != '$') {
      shifted += sql[at];
      continue;
    }
    size_t end = at + 1;
    if (end < sql.size() && IsDigit(sql[end])) {
      while (end < sql.size() && IsDigit(sql[end])) ++end;
      shifted += '$' + std::to_string(std::stoul(sql.substr(at + 1, end - at - 1)) + offset);
    } else {
      while (end < sql.size() && IsTagChar(sql[end])) ++end;
      if (end < sql.size() && sql[end] == '$') {
        const std::string tag = sql.substr(at, end - at + 1);
        const size_t close = sql.find(tag, end + 1);
        end = close == std::string::npos ? sql.size() : close + tag.size();
      } else {
        end = at + 1;
      }
      shifted.append(sql, at, end - at);
    }
    at = end - 1;
  }
  return shifted;
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

TaggedQuery UnionOfParts(const std::vector<TaggedQuery>& statements) {
  TaggedQuery batch;
  for (size_t part = 0; part < statements.size(); ++part) {
    if (part > 0) batch.sql += "\nUNION ALL\n";
    // The column list names the columns whatever the statement calls them;
    // the casts give every part the same column types.
    batch.sql += "SELECT " + std::to_string(part) +
                 " AS part, q.kind::text, q.a::text, q.b::text, q.c::text FROM (\n" +
                 ShiftParameters(statements[part].sql, batch.params.size()) + "\n) AS q(kind, a, b, c)";
    batch.params.insert(batch.params.end(), statements[part].params.begin(), statements[part].params.end());
  }
  return batch;
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
