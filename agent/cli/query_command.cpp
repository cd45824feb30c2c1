#include "agent/cli/query_command.h"

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <array>
#include <iostream>
#include <map>

#include "agent/cli/commands.h"
#include "agent/config/duration.h"
#include "agent/report/api_tables.h"
#include "agent/report/json_report.h"
#include "agent/report/text_report.h"
#include "exporters/grpc/bearer_auth.h"
#include "exporters/grpc/read_file.h"
#include "pgposture/v1/service.grpc.pb.h"

namespace pgposture {
namespace {

using google::protobuf::util::TimeUtil;
using Stub = v1::PostureService::Stub;

constexpr int kExitRefused = 1;
constexpr int kExitUnavailable = 69;   // EX_UNAVAILABLE
constexpr int kExitNoPermission = 77;  // EX_NOPERM
constexpr int kListPageSize = 1000;

// grpc::StatusCode by number, as gRPC documents them.
constexpr std::array<const char*, 17> kCodeNames{
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

int Failed(const grpc::Status& status, const std::string& address) {
  const auto code = static_cast<std::size_t>(status.error_code());
  std::cerr << "pgposture: " << (code < kCodeNames.size() ? kCodeNames[code] : "UNKNOWN") << ": "
            << status.error_message();
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << " (is pgposture run listening on " << address << "? see --address and the TLS flags)";
  }
  std::cerr << "\n";
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return kExitUnavailable;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return kExitNoPermission;
    default:
      return kExitRefused;
  }
}

// "t" -> "targets/t", "t/d" -> "targets/t/databases/d"; resource names as
// they are. Target names hold no "/", so the first one splits.
std::string ResourceNameOf(const std::string& text) {
  if (text.empty() || text.rfind("targets/", 0) == 0) return text;
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return "targets/" + text;
  return "targets/" + text.substr(0, slash) + "/databases/" + text.substr(slash + 1);
}

std::string UpperCase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::shared_ptr<grpc::ChannelCredentials> Credentials(const QueryOptions& options,
                                                      grpc::ChannelArguments& args) {
  if (!options.tls && options.tls_ca_file.empty() && options.tls_cert_file.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  if (!options.tls_ca_file.empty()) ssl.pem_root_certs = ReadWholeFile(options.tls_ca_file, "--tls-ca-file");
  if (!options.tls_cert_file.empty()) {
    ssl.pem_cert_chain = ReadWholeFile(options.tls_cert_file, "--tls-cert-file");
    ssl.pem_private_key = ReadWholeFile(options.tls_key_file, "--tls-key-file");
  }
  if (!options.tls_server_name.empty()) {
    args.SetSslTargetNameOverride(options.tls_server_name);
  }
  return grpc::SslCredentials(ssl);
}

// One channel and the metadata every call carries.
class Client {
 public:
  explicit Client(const QueryOptions& options)
      : options_(options),
        token_(options.token_file.empty() ? "" : ReadTokenFile(options.token_file, "--token-file")) {
    grpc::ChannelArguments args;
    std::shared_ptr<grpc::ChannelCredentials> credentials = Credentials(options, args);
    stub_ = v1::PostureService::NewStub(grpc::CreateCustomChannel(options.address, credentials, args));
  }

  /// A context for one call; `deadline` false for streams.
  std::unique_ptr<grpc::ClientContext> Context(bool deadline = true) const {
    auto context = std::make_unique<grpc::ClientContext>();
    if (deadline) context->set_deadline(std::chrono::system_clock::now() + options_.timeout);
    if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
    return context;
  }
  Stub& stub() const { return *stub_; }

  /// Every page of a List method, merged into *all.
  template <typename Request, typename Response>
  grpc::Status ListAll(Request request, Response* all,
                       grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*)) const {
    request.set_page_size(kListPageSize);
    do {
      Response page;
      const grpc::Status status = (stub_.get()->*method)(Context().get(), request, &page);
      if (!status.ok()) return status;
      request.set_page_token(page.next_page_token());
      all->MergeFrom(page);
    } while (!request.page_token().empty());
    all->clear_next_page_token();
    return grpc::Status::OK;
  }

 private:
  const QueryOptions& options_;
  std::string token_;
  std::unique_ptr<Stub> stub_;
};

// The posture as `pgposture check` prints it.
void PrintPosture(const v1::DatabasePosture& posture, const QueryOptions& options) {
  if (options.format == "json") {
    std::cout << RenderMessageJson(posture, true);
    return;
  }
  v1::CheckReport report;
  *report.add_databases() = posture;
  report.set_passed(!posture.collection().stale() && posture.maturity_level() >= posture.required_level());
  std::cout << RenderText(report);
}

// A list answer as JSON or a table.
template <typename Response>
void PrintList(const Response& response, const QueryOptions& options, std::string (*table)(const Response&)) {
  std::cout << (options.format == "json" ? RenderMessageJson(response, true) : table(response));
}

grpc::Status Targets(const Client& client, const QueryOptions& options) {
  v1::ListTargetsResponse response;
  grpc::Status status = client.ListAll(v1::ListTargetsRequest(), &response, &Stub::ListTargets);
  if (status.ok()) PrintList(response, options, RenderTargets);
  return status;
}

grpc::Status Posture(const Client& client, const QueryOptions& options) {
  v1::GetPostureRequest request;
  request.set_name(ResourceNameOf(options.name));
  v1::DatabasePosture posture;
  grpc::Status status = client.stub().GetPosture(client.Context().get(), request, &posture);
  if (status.ok()) PrintPosture(posture, options);
  return status;
}

grpc::Status Findings(const Client& client, const QueryOptions& options) {
  v1::ListFindingsRequest request;
  request.set_parent(ResourceNameOf(options.name));
  request.set_environment(options.environment);
  request.set_check_id(options.check_id);
  if (options.failing) request.set_status(v1::CHECK_STATUS_FAIL);
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  if (!options.severity.empty()) v1::Severity_Parse("SEVERITY_" + UpperCase(options.severity), &severity);
  request.set_severity(severity);
  v1::MaturityLevel level = v1::MATURITY_LEVEL_UNSPECIFIED;
  if (!options.level.empty()) v1::MaturityLevel_Parse("MATURITY_LEVEL_" + UpperCase(options.level), &level);
  request.set_level(level);
  v1::ListFindingsResponse response;
  grpc::Status status = client.ListAll(request, &response, &Stub::ListFindings);
  if (status.ok()) PrintList(response, options, RenderFindings);
  return status;
}

grpc::Status DdlEvents(const Client& client, const QueryOptions& options) {
  v1::ListDdlEventsRequest request;
  request.set_parent(ResourceNameOf(options.name));
  if (options.out_of_band) request.set_classification(v1::DDL_CLASSIFICATION_OUT_OF_BAND);
  if (!options.since.empty()) {
    const auto since = std::chrono::system_clock::now() - ParseDuration(options.since);
    *request.mutable_start_time() = TimeUtil::NanosecondsToTimestamp(
        std::chrono::duration_cast<std::chrono::nanoseconds>(since.time_since_epoch()).count());
  }
  v1::ListDdlEventsResponse response;
  grpc::Status status = client.ListAll(request, &response, &Stub::ListDdlEvents);
  if (status.ok()) PrintList(response, options, RenderDdlEvents);
  return status;
}

// Prints events as they come, until the server ends the stream.
grpc::Status Watch(const Client& client, const QueryOptions& options) {
  v1::WatchDdlEventsRequest request;
  request.set_parent(ResourceNameOf(options.name));
  request.set_only_out_of_band(options.out_of_band);
  const std::unique_ptr<grpc::ClientContext> context = client.Context(/*deadline=*/false);
  const auto reader = client.stub().WatchDdlEvents(context.get(), request);
  v1::WatchDdlEventsResponse message;
  while (reader->Read(&message)) {
    std::cout << (options.format == "json" ? RenderMessageJson(message, false) + "\n"
                                           : RenderWatchLine(message))
              << std::flush;
  }
  return reader->Finish();
}

grpc::Status Collect(const Client& client, const QueryOptions& options) {
  v1::CollectRequest request;
  request.set_name(ResourceNameOf(options.name));
  v1::CollectResponse response;
  grpc::Status status = client.stub().Collect(client.Context().get(), request, &response);
  if (status.ok()) PrintPosture(response.posture(), options);
  return status;
}

// CLI11 validator: empty when `text` is a duration.
std::string DurationError(const std::string& text) {
  try {
    ParseDuration(text);
    return "";
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
}

CLI::App* Subcommand(CLI::App& query, QueryOptions& options, const std::string& name,
                     const std::string& help) {
  CLI::App* command = query.add_subcommand(name, help);
  command->parse_complete_callback([&options, name] { options.command = name; });
  return command;
}

}  // namespace

CLI::App* AddQueryCommand(CLI::App& app, QueryOptions& options) {
  CLI::App* query = app.add_subcommand("query", "Ask a running agent over gRPC (PostureService)");
  query->require_subcommand(1);
  // Connection options may come after the subcommand too.
  query->fallthrough();
  query->add_option("--address", options.address, "host:port of the agent's listen.grpc")
      ->capture_default_str();
  query->add_option("--token-file", options.token_file, "File holding the bearer token")
      ->check(CLI::ExistingFile);
  query->add_flag("--tls", options.tls, "Use TLS, checking the server against the system's CAs");
  query->add_option("--tls-ca-file", options.tls_ca_file, "CA of the server's certificate (implies --tls)")
      ->check(CLI::ExistingFile);
  auto* cert = query->add_option("--tls-cert-file", options.tls_cert_file, "Client certificate, for mTLS")
                   ->check(CLI::ExistingFile);
  auto* key = query->add_option("--tls-key-file", options.tls_key_file, "Key of --tls-cert-file")
                  ->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);
  query->add_option("--tls-server-name", options.tls_server_name,
                    "Name the server's certificate must carry, when not the address's host");
  query
      ->add_option_function<std::string>(
          "--timeout", [&options](const std::string& text) { options.timeout = ParseDuration(text); },
          "Deadline of each call, e.g. 30s (Collect waits for a collection cycle in progress)")
      ->check(CLI::Validator(DurationError, "DURATION"));
  query->add_option("--format", options.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  Subcommand(*query, options, "targets", "Targets and their databases, with maturity and status");
  Subcommand(*query, options, "posture", "The whole posture of one database")
      ->add_option("database", options.name, "targets/T/databases/D, or T/D")
      ->required();
  CLI::App* findings = Subcommand(*query, options, "findings", "Findings of every database, filtered");
  findings->add_option("--env", options.environment, "Only this environment")
      ->check(CLI::IsMember({"local", "staging", "prod"}));
  findings->add_flag("--failing", options.failing, "Only failing checks");
  findings->add_option("--severity", options.severity, "Only this severity")
      ->check(CLI::IsMember({"info", "warning", "critical"}));
  findings->add_option("--check", options.check_id, "Only this check id");
  findings->add_option("--level", options.level, "Only checks of this maturity level")
      ->check(CLI::IsMember({"prototyping", "collaborating", "production", "enterprise"}));
  findings->add_option("--database", options.name, "Only this target (T) or database (T/D)");
  CLI::App* ddl = Subcommand(*query, options, "ddl", "Captured DDL events the agent holds, newest first");
  ddl->add_flag("--out-of-band", options.out_of_band, "Only changes made outside migrations");
  ddl->add_option("--since", options.since, "Only events within this long, e.g. 24h or 7d")
      ->check(CLI::Validator(DurationError, "DURATION"));
  ddl->add_option("--database", options.name, "Only this target (T) or database (T/D)");
  CLI::App* watch = Subcommand(*query, options, "watch", "Print DDL events as the agent classifies them");
  watch->add_flag("--out-of-band", options.out_of_band, "Only changes made outside migrations");
  watch->add_option("--database", options.name, "Only this target (T) or database (T/D)");
  Subcommand(*query, options, "collect", "Collect one database now and print its new posture")
      ->add_option("database", options.name, "targets/T/databases/D, or T/D")
      ->required();
  return query;
}

int RunQuery(const QueryOptions& options) {
  try {
    const Client client(options);
    using Command = grpc::Status (*)(const Client&, const QueryOptions&);
    const std::map<std::string, Command> commands{{"targets", Targets},   {"posture", Posture},
                                                  {"findings", Findings}, {"ddl", DdlEvents},
                                                  {"watch", Watch},       {"collect", Collect}};
    const Command run = commands.at(options.command);
    const grpc::Status status = run(client, options);
    return status.ok() ? kExitOk : Failed(status, options.address);
  } catch (const std::runtime_error& error) {
    std::cerr << "pgposture: " << error.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace pgposture
