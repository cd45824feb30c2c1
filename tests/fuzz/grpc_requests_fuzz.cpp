// Validation of PostureService requests: the request is parsed from the
// input as the server deserializes it (ParseFromArray), then handed to the
// same functions the service calls, over a fixed set of snapshots.
// Properties: a List request gets OK, INVALID_ARGUMENT naming one of its
// own fields, or NOT_FOUND for a parent; an accepted request's pages hold at
// most the page size, and following next_page_token to the end yields the
// rest of the full listing in order, each item once; a resource name that
// parses prints back (Describe) as given; a page token carries its key for
// the filters it was made for and is refused for any others.
#include <fuzzer/FuzzedDataProvider.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "exporters/grpc/listing.h"
#include "exporters/grpc/paging.h"
#include "exporters/grpc/resource_name.h"
#include "pgposture/v1/service.pb.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/quiet_protobuf.h"
#include "tests/unit/exporters/grpc/grpc_fixtures.h"

namespace {

using pgposture::DatabaseSnapshot;
using pgposture::testing::AddFinding;
using pgposture::testing::Collected;
using pgposture::testing::Event;

// Two targets, a database name with a slash, events sharing a time across
// databases, findings at every status: what paging and filters sort on.
std::vector<DatabaseSnapshot> MakeSnapshots() {
  std::vector<pgposture::v1::DatabasePosture> postures{Collected("app", "app"), Collected("app", "a/b"),
                                                       Collected("billing", "main", "staging")};
  std::int64_t id = 0;
  for (pgposture::v1::DatabasePosture& posture : postures) {
    AddFinding(posture, "pgaudit.enabled", pgposture::v1::CHECK_STATUS_FAIL);
    AddFinding(posture, "backup.pitr", pgposture::v1::CHECK_STATUS_PASS, pgposture::v1::SEVERITY_CRITICAL);
    AddFinding(posture, "ddl.out_of_band", pgposture::v1::CHECK_STATUS_UNKNOWN, pgposture::v1::SEVERITY_INFO,
               pgposture::v1::MATURITY_LEVEL_ENTERPRISE);
    pgposture::testing::SetDdl(posture,
                               {Event(++id, 1700000300), Event(++id, 1700000200),
                                Event(++id, 1700000100, pgposture::v1::DDL_CLASSIFICATION_MIGRATION)});
  }
  std::vector<DatabaseSnapshot> snapshots;
  for (const auto& posture : postures) {
    snapshots.push_back({nullptr, std::make_shared<const pgposture::v1::DatabasePosture>(posture)});
  }
  return snapshots;
}

const std::vector<DatabaseSnapshot>& Snapshots() {
  static const std::vector<DatabaseSnapshot> snapshots = MakeSnapshots();
  return snapshots;
}

// "field: why" for a field of `Request`.
template <typename Request>
bool NamesRequestField(const grpc::Status& status) {
  const std::string& message = status.error_message();
  const std::size_t colon = message.find(':');
  return colon != std::string::npos &&
         Request::descriptor()->FindFieldByName(message.substr(0, colon)) != nullptr;
}

template <typename Item>
bool SameItems(const std::vector<Item>& a, const std::vector<Item>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Item& x, const Item& y) {
    return google::protobuf::util::MessageDifferencer::Equals(x, y);
  });
}

template <typename Message>
bool Parsed(const std::string& bytes, Message* message) {
  return message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

// `list` is one of the List functions, `items` reads the repeated field of
// its response.
template <typename Request, typename Response, typename Items>
void CheckList(const std::string& bytes,
               grpc::Status (*list)(const std::vector<DatabaseSnapshot>&, const Request&, Response*),
               Items items) {
  Request request;
  if (!Parsed(bytes, &request)) return;
  Response response;
  const grpc::Status status = list(Snapshots(), request, &response);
  if (!status.ok()) {
    FUZZ_CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
               (status.error_code() == grpc::StatusCode::NOT_FOUND && !status.error_message().empty()));
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
      FUZZ_CHECK(NamesRequestField<Request>(status));
    }
    return;
  }
  const std::size_t page_size = request.page_size() == 0
                                    ? pgposture::kDefaultPageSize
                                    : std::min(request.page_size(), pgposture::kMaxPageSize);
  using Item = typename std::decay_t<decltype(items(response))>::value_type;
  std::vector<Item> walked;
  for (Request next = request;;) {
    FUZZ_CHECK(static_cast<std::size_t>(items(response).size()) <= page_size);
    walked.insert(walked.end(), items(response).begin(), items(response).end());
    if (response.next_page_token().empty()) break;
    FUZZ_CHECK(walked.size() <= 1000);
    next.set_page_token(response.next_page_token());
    response.Clear();
    FUZZ_CHECK(list(Snapshots(), next, &response).ok());
  }

  Request everything = request;
  everything.clear_page_token();
  everything.set_page_size(pgposture::kMaxPageSize);
  Response all;
  FUZZ_CHECK(list(Snapshots(), everything, &all).ok() && all.next_page_token().empty());
  const std::vector<Item> full(items(all).begin(), items(all).end());
  FUZZ_CHECK(request.page_token().empty() ? walked.size() == full.size() : walked.size() <= full.size());
  FUZZ_CHECK(SameItems(walked, std::vector<Item>(full.end() - walked.size(), full.end())));
}

// `whole_name`: GetPosture's and Collect's name, else Watch's parent.
void CheckResourceName(const std::string& name, bool whole_name) {
  pgposture::ResourceName parsed;
  const grpc::Status status = whole_name ? pgposture::ParseDatabaseName("name", name, &parsed)
                                         : pgposture::ParseParent("parent", name, &parsed);
  if (!status.ok()) {
    FUZZ_CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    FUZZ_CHECK(status.error_message().rfind(whole_name ? "name: " : "parent: ", 0) == 0);
    return;
  }
  if (whole_name) FUZZ_CHECK(!parsed.database.empty());
  if (!name.empty()) FUZZ_CHECK(pgposture::Describe(parsed) == name);
}

void CheckPageToken(FuzzedDataProvider& input) {
  const auto page_size = input.ConsumeIntegral<std::int32_t>();
  const std::string filters = input.ConsumeRandomLengthString();
  const std::string key = input.ConsumeRandomLengthString();
  const std::string other_filters = input.ConsumeRemainingBytesAsString();
  pgposture::PageRequest made_for;
  made_for.filters = filters;
  const std::string token = pgposture::PageToken(made_for, key);

  pgposture::PageRequest read;
  const grpc::Status status = pgposture::ReadPageRequest(page_size, token, filters, &read);
  FUZZ_CHECK(status.ok() == (page_size >= 0));
  if (!status.ok()) return;
  FUZZ_CHECK(read.after == key && read.filters == filters && read.size >= 1 &&
             read.size <= static_cast<std::size_t>(pgposture::kMaxPageSize));
  if (other_filters != filters) {
    const grpc::Status refused = pgposture::ReadPageRequest(page_size, token, other_filters, &read);
    // Tokens hold a 64-bit fingerprint of the filters: a collision is possible, not findable here.
    FUZZ_CHECK(!refused.ok() && refused.error_message().rfind("page_token: ", 0) == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  enum class Kind {
    kListTargets,
    kListFindings,
    kListDdlEvents,
    kGetPosture,
    kWatchDdlEvents,
    kPageToken,
    kMaxValue = kPageToken
  };
  const Kind kind = input.ConsumeEnum<Kind>();
  const std::string bytes = input.ConsumeRemainingBytesAsString();
  pgposture::v1::GetPostureRequest get_posture;
  pgposture::v1::WatchDdlEventsRequest watch;
  switch (kind) {
    case Kind::kListTargets:
      CheckList(
          bytes, pgposture::ListTargets, [](const auto& r) -> const auto& { return r.targets(); });
      break;
    case Kind::kListFindings:
      CheckList(
          bytes, pgposture::ListFindings, [](const auto& r) -> const auto& { return r.findings(); });
      break;
    case Kind::kListDdlEvents:
      CheckList(
          bytes, pgposture::ListDdlEvents, [](const auto& r) -> const auto& { return r.events(); });
      break;
    case Kind::kGetPosture:
      if (Parsed(bytes, &get_posture)) CheckResourceName(get_posture.name(), true);
      break;
    case Kind::kWatchDdlEvents:
      if (Parsed(bytes, &watch)) CheckResourceName(watch.parent(), false);
      break;
    case Kind::kPageToken:
      CheckPageToken(input);
      break;
  }
  return 0;
}
