#include "agent/config/second_document.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <sstream>

namespace pgposture {
namespace {

// Notes where a document's content starts, if it holds more than a null,
// without building its nodes.
class ContentSeen : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override { content_.reset(); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Saw(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    Saw(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Saw(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Saw(mark);
  }
  void OnMapEnd() override {}

  const std::optional<YAML::Mark>& content() const { return content_; }

 private:
  void Saw(const YAML::Mark& mark) {
    if (!content_) content_ = mark;
  }

  std::optional<YAML::Mark> content_;
};

}  // namespace

std::optional<YAML::Mark> SecondDocument(const std::string& yaml_text) {
  std::istringstream stream(yaml_text);
  YAML::Parser parser(stream);
  ContentSeen seen;
  if (!parser.HandleNextDocument(seen)) return std::nullopt;
  if (!parser.HandleNextDocument(seen)) return std::nullopt;
  return seen.content();
}

}  // namespace pgposture
