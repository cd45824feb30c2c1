// Metric families given in pieces, written as text in whole families.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "exporters/prometheus/family_pieces.h"

namespace pgposture {

/// Writes families given in pieces in the text format: each piece is
/// serialized by prometheus-cpp's TextSerializer at once, and the pieces of
/// a family are joined under one HELP and TYPE, as the format requires. So a
/// scrape of 1,000 databases never holds its families as prometheus-cpp
/// objects (hundreds of bytes per sample, tens of megabytes), only the text
/// of one area at a time.
class FamilyTextWriter : public FamilyPieceSink {
 public:
  /// Appends to `out`, which must outlive the writer.
  explicit FamilyTextWriter(std::string& out) : out_(out) {}

  void Piece(std::vector<prometheus::MetricFamily> families, std::size_t pieces_left) override;
  /// Appends the area's families to `out`, whole and sorted by name.
  void AreaEnd() override;

 private:
  struct Joined {
    std::string text;  // HELP and TYPE, then the samples of every piece
    std::size_t header_size = 0;
  };
  std::string& out_;
  std::map<std::string, Joined> area_;  // the current area's families, by name
};

}  // namespace pgposture
