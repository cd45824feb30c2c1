#include "exporters/prometheus/family_text.h"

#include <prometheus/text_serializer.h>

#include <ostream>
#include <streambuf>
#include <utility>

namespace pgposture {
namespace {

// An output stream's buffer that appends to a string, which can change
// between writes: serializing through std::ostringstream would hold each
// text twice (its own buffer, then the copy str() returns), and a stream
// per family and piece would cost more than the piece's serialization.
class AppendToString : public std::streambuf {
 public:
  void AppendTo(std::string& text) { text_ = &text; }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) text_->push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* data, std::streamsize size) override {
    text_->append(data, static_cast<std::size_t>(size));
    return size;
  }

 private:
  std::string* text_ = nullptr;
};

}  // namespace

void FamilyTextWriter::Piece(std::vector<prometheus::MetricFamily> families, std::size_t pieces_left) {
  const prometheus::TextSerializer serializer;
  AppendToString buffer;
  std::ostream out(&buffer);
  std::vector<prometheus::MetricFamily> one(1);
  for (prometheus::MetricFamily& family : families) {
    auto [joined, first] = area_.try_emplace(family.name);
    Joined& to = joined->second;
    buffer.AppendTo(to.text);
    if (first) {
      // A family without samples serializes to its HELP and TYPE lines
      // alone: what every piece's text starts with.
      one[0] = {family.name, family.help, family.type, {}};
      serializer.Serialize(out, one);
      to.header_size = to.text.size();
      to.text.clear();
    }
    const std::size_t piece_start = to.text.size();
    one[0] = std::move(family);
    serializer.Serialize(out, one);
    if (first) {
      // The pieces of a family are about the same size (one database's
      // samples): sized for all of them at once, the text of the largest
      // family (2.6 MB at 1,000 databases) is not copied and left with up
      // to twice the room it needs as it grows.
      to.text.reserve(to.header_size + (to.text.size() - to.header_size) * pieces_left);
    } else {
      to.text.erase(piece_start, to.header_size);
    }
  }
}

void FamilyTextWriter::AreaEnd() {
  for (const auto& [name, joined] : area_) out_ += joined.text;
  area_.clear();
}

}  // namespace pgposture
