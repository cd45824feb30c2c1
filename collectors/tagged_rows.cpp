#include "collectors/tagged_rows.h"

namespace pgposture {
namespace {

std::optional<std::string> Column(const pqxx::row& row, int index) {
  const pqxx::field field = row[index];
  if (field.is_null()) return std::nullopt;
  return std::string(field.c_str(), field.size());
}

}  // namespace

TaggedRows ToTaggedRows(const pqxx::result& result) {
  TaggedRows rows;
  rows.reserve(result.size());
  for (const pqxx::row& row : result) {
    rows.push_back({row[0].c_str(), Column(row, 1), Column(row, 2), Column(row, 3)});
  }
  return rows;
}

}  // namespace pgposture
