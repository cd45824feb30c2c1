// DdlClassifier decides whether captured DDL came through a migration. The
// event is a DdlEvent parsed from the input (as the collector builds it from
// the capture table), the policy's roles and networks are input text, its
// application_name patterns a choice among realistic ones.
// Properties: every event gets a classification, a known rule that matches
// it, and the source SourceOf gives; nothing else of the event changes;
// classifying is idempotent; extension DDL is always ignored; the policy
// can only turn "no migration rule" into a migration, never change another
// decision; "migration_client" means a configured network holds the client.
#include <fuzzer/FuzzedDataProvider.h>
#include <google/protobuf/util/message_differencer.h>

#include <array>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/ddl/ddl_classifier.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/quiet_protobuf.h"

namespace {

using pgposture::v1::DdlClassification;
using pgposture::v1::DdlEvent;

// PostgreSQL cuts application_name to NAMEDATALEN - 1 bytes.
constexpr std::size_t kMaxApplicationName = 63;

// One invalid pattern among them: the classifier must skip it.
constexpr std::array<const char*, 8> kPatterns{"^flyway",         "^liquibase", "migrat", "^sqitch$",
                                               "(alembic|goose)", "^rails",     "[",      "deploy-\\d+"};

const std::map<std::string, DdlClassification>& RuleClassifications() {
  static const std::map<std::string, DdlClassification> rules{
      {"extension", pgposture::v1::DDL_CLASSIFICATION_IGNORED},
      {"temporary", pgposture::v1::DDL_CLASSIFICATION_IGNORED},
      {"dashboard", pgposture::v1::DDL_CLASSIFICATION_OUT_OF_BAND},
      {"no_migration_rule", pgposture::v1::DDL_CLASSIFICATION_OUT_OF_BAND},
      {"history_write", pgposture::v1::DDL_CLASSIFICATION_MIGRATION},
      {"change_source", pgposture::v1::DDL_CLASSIFICATION_MIGRATION},
      {"migration_role", pgposture::v1::DDL_CLASSIFICATION_MIGRATION},
      {"migration_client", pgposture::v1::DDL_CLASSIFICATION_MIGRATION},
      {"migration_application", pgposture::v1::DDL_CLASSIFICATION_MIGRATION},
  };
  return rules;
}

std::vector<std::string> Items(const std::string& text) {
  std::vector<std::string> items;
  std::istringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) items.push_back(item);
  return items;
}

DdlEvent Classified(const pgposture::DdlClassifier& classifier, DdlEvent event) {
  classifier.Classify(event);
  return event;
}

bool Same(const DdlEvent& a, const DdlEvent& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  pgposture::CollectorOptions options;
  const auto pattern_choice = input.ConsumeIntegral<std::uint8_t>();
  for (std::size_t i = 0; i < kPatterns.size(); ++i) {
    if ((pattern_choice >> i) & 1) options.migration_application_names.push_back(kPatterns[i]);
  }
  options.migration_roles = Items(input.ConsumeRandomLengthString());
  options.migration_client_cidrs = Items(input.ConsumeRandomLengthString());
  const std::string event_bytes = input.ConsumeRemainingBytesAsString();
  DdlEvent event;
  if (!event.ParseFromString(event_bytes)) return 0;
  if (event.application_name().size() > kMaxApplicationName) {
    event.mutable_application_name()->resize(kMaxApplicationName);
  }

  const pgposture::DdlClassifier classifier(options);
  const DdlEvent classified = Classified(classifier, event);
  const auto rule = RuleClassifications().find(classified.rule());
  FUZZ_CHECK(rule != RuleClassifications().end());
  FUZZ_CHECK(classified.classification() == rule->second);
  FUZZ_CHECK(classified.source() == pgposture::SourceOf(event.application_name()));
  DdlEvent unchanged = classified;
  unchanged.set_classification(event.classification());
  unchanged.set_rule(event.rule());
  unchanged.set_source(event.source());
  FUZZ_CHECK(Same(unchanged, event));
  FUZZ_CHECK(Same(Classified(classifier, classified), classified));
  if (event.in_extension())
    FUZZ_CHECK(classified.classification() == pgposture::v1::DDL_CLASSIFICATION_IGNORED);

  const DdlEvent without_policy = Classified(pgposture::DdlClassifier(pgposture::CollectorOptions{}), event);
  if (without_policy.rule() != "no_migration_rule") FUZZ_CHECK(Same(without_policy, classified));
  if (classified.rule() == "migration_client") {
    bool held = false;
    for (const std::string& text : options.migration_client_cidrs) {
      const std::optional<pgposture::Cidr> network = pgposture::ParseCidr(text);
      held = held || (network && pgposture::CidrContains(*network, event.client_addr()));
    }
    FUZZ_CHECK(held);
  }
  return 0;
}
