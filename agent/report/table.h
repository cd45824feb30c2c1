// Plain-text tables for terminals: left-aligned columns, two spaces apart.
#pragma once

#include <string>
#include <vector>

namespace pgposture {

class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  /// A row with as many cells as the header; line breaks in cells become spaces.
  void AddRow(std::vector<std::string> cells);
  /// The header and rows, each column as wide as its widest cell, no
  /// trailing spaces.
  std::string Render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace pgposture
