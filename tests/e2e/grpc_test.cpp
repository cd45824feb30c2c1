// The gRPC API of `pgposture run` over a real socket, against real clusters:
// every RPC with real data, the watch stream, statuses, auth and mTLS, the
// health and reflection services, `pgposture query`, and a Python client.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <csignal>
#include <set>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "pgposture/v1/service.grpc.pb.h"
#include "tests/e2e/pgposture_binary.h"
#include "tests/harness/blackhole.h"
#include "tests/harness/pg_cluster.h"

namespace pgposture::testing {
namespace {

using namespace std::chrono_literals;
using google::protobuf::util::TimeUtil;
using HealthStatus = grpc::health::v1::HealthCheckResponse;
using Stub = v1::PostureService::Stub;

constexpr const char* kAgentPassword = "agent-pw-7d1e";
constexpr const char* kDatabase = "targets/app/databases/postgres";

// A cluster with `pgposture install` applied and a login role `agent` that
// the daemon connects as, with pg_monitor and the install's grants only.
class AuditedCluster {
 public:
  AuditedCluster() {
    cluster_.Psql(std::string("CREATE ROLE agent LOGIN PASSWORD '") + kAgentPassword +
                  "' IN ROLE pg_monitor, pg_read_all_settings");
    const ProcessResult install = RunPgposture({"install", "--dsn", cluster_.Dsn(), "--agent-role", "agent"});
    if (install.exit_code != 0) throw std::runtime_error("install failed: " + install.out + install.err);
    password_file_ = WriteTempFile("agent.password", kAgentPassword);
  }

  PgCluster& cluster() { return cluster_; }

  /// The `targets:` item auditing this cluster as target `app` (prod).
  std::string TargetYaml() const {
    return "  - name: app\n    dsn: \"" + cluster_.Dsn("postgres", "agent") +
           "\"\n    password_file: " + password_file_ + "\n    environment: prod\n";
  }

  /// CREATE TABLE `table` as Supabase Studio would: out of band.
  void CreateFromDashboard(const std::string& table) const {
    cluster_.Psql("SET application_name = 'postgres-meta 0.1';\nCREATE TABLE public." + table + " (id int);");
  }
  /// CREATE TABLE `table` in a transaction declaring itself a migration.
  void CreateByMigration(const std::string& table) const {
    cluster_.Psql("BEGIN;\nSET LOCAL pgposture.change_source = 'ci';\nCREATE TABLE public." + table +
                  " (id int);\nCOMMIT;");
  }

 private:
  PgCluster cluster_;
  std::string password_file_;
};

std::string Config(const std::string& interval, const std::string& targets,
                   const std::string& listen_extra = "") {
  return "agent:\n  interval: " + interval + "\n  timeout: " + interval +
         "\nlisten:\n  metrics: \"127.0.0.1:0\"\n  grpc: \"127.0.0.1:0\"\n" + listen_extra + "targets:\n" +
         targets;
}

std::unique_ptr<grpc::ClientContext> Context(const std::string& token = "") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + 10s);
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

HealthStatus::ServingStatus Health(const std::shared_ptr<grpc::Channel>& channel) {
  HealthStatus response;
  grpc::health::v1::Health::NewStub(channel)->Check(Context().get(), {}, &response);
  return response.status();
}

bool EventuallyServing(const std::shared_ptr<grpc::Channel>& channel) {
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (Health(channel) == HealthStatus::SERVING) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

grpc::Status GetPosture(Stub& stub, const std::string& name, v1::DatabasePosture* posture = nullptr,
                        const std::string& token = "") {
  v1::GetPostureRequest request;
  request.set_name(name);
  v1::DatabasePosture ignored;
  return stub.GetPosture(Context(token).get(), request, posture ? posture : &ignored);
}

grpc::Status Collect(Stub& stub, const std::string& name, v1::CollectResponse* response,
                     const std::string& token = "") {
  v1::CollectRequest request;
  request.set_name(name);
  return stub.Collect(Context(token).get(), request, response);
}

// The services server reflection lists.
std::set<std::string> ReflectedServices(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
  auto context = Context();
  auto stream = stub->ServerReflectionInfo(context.get());
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  stream->Write(request);
  stream->WritesDone();
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  std::set<std::string> services;
  while (stream->Read(&response)) {
    for (const auto& service : response.list_services_response().service()) services.insert(service.name());
  }
  EXPECT_TRUE(stream->Finish().ok());
  return services;
}

TEST(GrpcTest, EveryRpcAnswersFromRealSnapshots) {
  AuditedCluster audited;
  audited.CreateFromDashboard("from_dashboard");
  audited.CreateByMigration("migrated");
  // Holds the first cycle for its 2 s timeout: time to see health say no.
  Blackhole hung;
  const std::string hung_target =
      "  - name: hung\n    dsn: \"host=127.0.0.1 port=" + std::to_string(hung.port()) +
      " dbname=postgres\"\n";
  Daemon daemon(WriteTempFile("pgposture.yml", Config("2s", audited.TargetYaml() + hung_target)));
  auto channel = grpc::CreateChannel(daemon.grpc_address(), grpc::InsecureChannelCredentials());
  auto stub = v1::PostureService::NewStub(channel);

  EXPECT_EQ(Health(channel), HealthStatus::NOT_SERVING);
  EXPECT_EQ(GetPosture(*stub, kDatabase).error_code(), grpc::StatusCode::UNAVAILABLE);
  ASSERT_TRUE(EventuallyServing(channel)) << daemon.process().Stderr();

  const std::set<std::string> services = ReflectedServices(channel);
  EXPECT_TRUE(services.count("pgposture.v1.PostureService")) << ::testing::PrintToString(services);
  EXPECT_TRUE(services.count("grpc.health.v1.Health")) << ::testing::PrintToString(services);

  v1::ListTargetsResponse targets;
  ASSERT_TRUE(stub->ListTargets(Context().get(), {}, &targets).ok());
  ASSERT_EQ(targets.targets_size(), 2);
  EXPECT_EQ(targets.targets(0).name(), "targets/app");
  EXPECT_EQ(targets.targets(0).environment(), "prod");
  ASSERT_EQ(targets.targets(0).databases_size(), 1);
  EXPECT_EQ(targets.targets(0).databases(0).name(), kDatabase);
  EXPECT_TRUE(targets.targets(0).databases(0).has_last_success_at());
  EXPECT_NE(targets.targets(1).databases(0).error(), "");

  v1::DatabasePosture posture;
  ASSERT_TRUE(GetPosture(*stub, kDatabase, &posture).ok());
  EXPECT_EQ(posture.name(), kDatabase);
  EXPECT_TRUE(posture.pgaudit().loaded()) << "cluster facts merged in";
  EXPECT_TRUE(posture.ddl().capture_enabled());
  EXPECT_GT(posture.findings_size(), 0);
  EXPECT_EQ(posture.required_level(), v1::MATURITY_LEVEL_PRODUCTION);

  // Statuses: never collected, unknown, malformed.
  const grpc::Status never = GetPosture(*stub, "targets/hung/databases/postgres");
  EXPECT_EQ(never.error_code(), grpc::StatusCode::UNAVAILABLE) << never.error_message();
  EXPECT_EQ(GetPosture(*stub, "targets/app/databases/nope").error_code(), grpc::StatusCode::NOT_FOUND);
  const grpc::Status malformed = GetPosture(*stub, "app/postgres");
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(malformed.error_message().rfind("name: ", 0), 0u) << malformed.error_message();

  // Findings: filters hold, and pages of one add up to the whole list.
  v1::ListFindingsRequest failing;
  failing.set_environment("prod");
  failing.set_status(v1::CHECK_STATUS_FAIL);
  v1::ListFindingsResponse all_failing;
  ASSERT_TRUE(stub->ListFindings(Context().get(), failing, &all_failing).ok());
  ASSERT_GT(all_failing.findings_size(), 0);
  std::set<std::string> failing_checks;
  for (const v1::DatabaseFinding& item : all_failing.findings()) {
    EXPECT_EQ(item.environment(), "prod");
    EXPECT_EQ(item.finding().status(), v1::CHECK_STATUS_FAIL);
    failing_checks.insert(item.finding().check_id());
  }
  EXPECT_TRUE(failing_checks.count("ddl.no_out_of_band_changes")) << ::testing::PrintToString(failing_checks);
  failing.set_page_size(1);
  int paged = 0;
  do {
    v1::ListFindingsResponse page;
    ASSERT_TRUE(stub->ListFindings(Context().get(), failing, &page).ok());
    EXPECT_LE(page.findings_size(), 1);
    paged += page.findings_size();
    failing.set_page_token(page.next_page_token());
  } while (!failing.page_token().empty());
  EXPECT_EQ(paged, all_failing.findings_size());
  failing.set_page_size(-1);
  v1::ListFindingsResponse ignored_findings;
  const grpc::Status negative = stub->ListFindings(Context().get(), failing, &ignored_findings);
  EXPECT_EQ(negative.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(negative.error_message().rfind("page_size: ", 0), 0u);

  // DDL history: the dashboard's change is out of band, the migration not.
  v1::ListDdlEventsRequest out_of_band;
  out_of_band.set_parent("targets/app");
  out_of_band.set_classification(v1::DDL_CLASSIFICATION_OUT_OF_BAND);
  v1::ListDdlEventsResponse events;
  ASSERT_TRUE(stub->ListDdlEvents(Context().get(), out_of_band, &events).ok());
  std::set<std::string> objects;
  for (const v1::DdlEvent& event : events.events()) {
    objects.insert(event.object_identity());
    EXPECT_EQ(event.database(), kDatabase);
    if (event.object_identity() == "public.from_dashboard") {
      EXPECT_EQ(event.source(), "dashboard");
    }
  }
  EXPECT_TRUE(objects.count("public.from_dashboard")) << ::testing::PrintToString(objects);
  EXPECT_FALSE(objects.count("public.migrated"));
  v1::ListDdlEventsRequest inverted;
  *inverted.mutable_start_time() = TimeUtil::GetCurrentTime();
  *inverted.mutable_end_time() = TimeUtil::SecondsToTimestamp(0);
  EXPECT_EQ(stub->ListDdlEvents(Context().get(), inverted, &events).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListDdlEventsRequest unknown_parent;
  unknown_parent.set_parent("targets/nope");
  EXPECT_EQ(stub->ListDdlEvents(Context().get(), unknown_parent, &events).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Collect: a fresh collection now, then the rate limit.
  const google::protobuf::Timestamp before = TimeUtil::GetCurrentTime();
  v1::CollectResponse collected;
  const grpc::Status collect = Collect(*stub, kDatabase, &collected);
  ASSERT_TRUE(collect.ok()) << collect.error_message();
  EXPECT_EQ(collected.posture().name(), kDatabase);
  EXPECT_GE(collected.posture().collection().collected_at(), before);
  EXPECT_TRUE(collected.posture().pgaudit().loaded());
  EXPECT_EQ(Collect(*stub, kDatabase, &collected).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(Collect(*stub, "targets/app/databases/nope", &collected).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST(GrpcTest, WatchDeliversAnOutOfBandChangeWithinOneIntervalAndEndsCleanlyOnSigterm) {
  AuditedCluster audited;
  Daemon daemon(WriteTempFile("pgposture.yml", Config("1s", audited.TargetYaml())));
  auto channel = grpc::CreateChannel(daemon.grpc_address(), grpc::InsecureChannelCredentials());
  ASSERT_TRUE(EventuallyServing(channel)) << daemon.process().Stderr();
  auto stub = v1::PostureService::NewStub(channel);

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 30s);
  v1::WatchDdlEventsRequest request;
  request.set_parent(kDatabase);
  request.set_only_out_of_band(true);
  auto stream = stub->WatchDdlEvents(&context, request);
  stream->WaitForInitialMetadata();

  // The migration goes first: were the filter ignored, it would arrive first.
  audited.CreateByMigration("migrated");
  audited.CreateFromDashboard("watched");
  const auto changed = std::chrono::steady_clock::now();
  v1::WatchDdlEventsResponse message;
  ASSERT_TRUE(stream->Read(&message)) << stream->Finish().error_message();
  const auto latency = std::chrono::steady_clock::now() - changed;
  EXPECT_EQ(message.dropped_events(), 0);
  EXPECT_EQ(message.event().object_identity(), "public.watched");
  EXPECT_EQ(message.event().classification(), v1::DDL_CLASSIFICATION_OUT_OF_BAND);
  EXPECT_EQ(message.event().source(), "dashboard");
  EXPECT_EQ(message.event().application_name(), "postgres-meta 0.1");
  EXPECT_EQ(message.event().database(), kDatabase);
  // One interval, plus the time the collection itself takes.
  EXPECT_LT(latency, 1500ms) << std::chrono::duration_cast<std::chrono::milliseconds>(latency).count()
                             << " ms";

  const auto stopping = std::chrono::steady_clock::now();
  daemon.process().Kill(SIGTERM);
  EXPECT_FALSE(stream->Read(&message));
  const grpc::Status ended = stream->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(ended.error_message().find("shutting down"), std::string::npos) << ended.error_message();
  const auto exited = daemon.process().Wait(std::chrono::duration_cast<std::chrono::milliseconds>(
      5s - (std::chrono::steady_clock::now() - stopping)));
  ASSERT_TRUE(exited) << "still running 5 s after SIGTERM with a stream open";
  EXPECT_EQ(exited->exit_code, 0) << exited->err;
}

// A CA, a server certificate for 127.0.0.1 and a client certificate, made
// with openssl for this test.
struct Certificates {
  std::string dir;
  std::string Path(const std::string& name) const { return dir + "/" + name; }
};

void OpenSsl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProcessResult result = RunProcess(Command(argv), 30s);
  if (result.exit_code != 0) throw std::runtime_error("openssl failed: " + result.err);
}

Certificates MakeCertificates() {
  Certificates certs{WriteTempFile("san.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n")};
  certs.dir = certs.dir.substr(0, certs.dir.rfind('/'));
  const std::vector<std::string> ec_key{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                        "-nodes"};
  std::vector<std::string> ca{"req",     "-x509",
                              "-days",   "1",
                              "-subj",   "/CN=pgposture test CA",
                              "-keyout", certs.Path("ca.key"),
                              "-out",    certs.Path("ca.crt")};
  ca.insert(ca.end(), ec_key.begin(), ec_key.end());
  OpenSsl(ca);
  for (const std::string name : {"server", "client"}) {
    std::vector<std::string> request{"req",
                                     "-subj",
                                     "/CN=" + name,
                                     "-keyout",
                                     certs.Path(name + ".key"),
                                     "-out",
                                     certs.Path(name + ".csr")};
    request.insert(request.end(), ec_key.begin(), ec_key.end());
    OpenSsl(request);
    OpenSsl({"x509", "-req", "-days", "1", "-in", certs.Path(name + ".csr"), "-CA", certs.Path("ca.crt"),
             "-CAkey", certs.Path("ca.key"), "-CAcreateserial", "-extfile", certs.Path("san.ext"), "-out",
             certs.Path(name + ".crt")});
  }
  return certs;
}

std::string Read(const std::string& path) { return RunProcess(Command({"cat", path}), 5s).out; }

TEST(GrpcTest, TokensAndMutualTlsGuardTheService) {
  AuditedCluster audited;
  const Certificates certs = MakeCertificates();
  const std::string read_token = WriteTempFile("read.token", "read-3f9a\n");
  const std::string collect_token = WriteTempFile("collect.token", "collect-8c2e\n");
  const std::string listen =
      "  grpc_tls:\n    cert_file: " + certs.Path("server.crt") +
      "\n    key_file: " + certs.Path("server.key") + "\n    client_ca_file: " + certs.Path("ca.crt") +
      "\n  grpc_auth:\n    token_file: " + read_token + "\n    collect_token_file: " + collect_token + "\n";
  Daemon daemon(WriteTempFile("pgposture.yml", Config("2s", audited.TargetYaml(), listen)));
  EXPECT_NE(daemon.process().Stderr().find("(TLS)"), std::string::npos);

  grpc::SslCredentialsOptions with_certificate;
  with_certificate.pem_root_certs = Read(certs.Path("ca.crt"));
  grpc::SslCredentialsOptions without_certificate = with_certificate;
  with_certificate.pem_cert_chain = Read(certs.Path("client.crt"));
  with_certificate.pem_private_key = Read(certs.Path("client.key"));
  auto channel = grpc::CreateChannel(daemon.grpc_address(), grpc::SslCredentials(with_certificate));
  ASSERT_TRUE(EventuallyServing(channel)) << daemon.process().Stderr();
  auto stub = v1::PostureService::NewStub(channel);

  // mTLS: no certificate, no connection; plaintext neither.
  auto anonymous = v1::PostureService::NewStub(
      grpc::CreateChannel(daemon.grpc_address(), grpc::SslCredentials(without_certificate)));
  EXPECT_EQ(GetPosture(*anonymous, kDatabase, nullptr, "read-3f9a").error_code(),
            grpc::StatusCode::UNAVAILABLE);
  auto plaintext = v1::PostureService::NewStub(
      grpc::CreateChannel(daemon.grpc_address(), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(GetPosture(*plaintext, kDatabase, nullptr, "read-3f9a").error_code(),
            grpc::StatusCode::UNAVAILABLE);

  // Tokens.
  EXPECT_EQ(GetPosture(*stub, kDatabase).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(GetPosture(*stub, kDatabase, nullptr, "read-3f9b").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::DatabasePosture posture;
  ASSERT_TRUE(GetPosture(*stub, kDatabase, &posture, "read-3f9a").ok());
  EXPECT_EQ(posture.name(), kDatabase);
  v1::CollectResponse collected;
  EXPECT_EQ(Collect(*stub, kDatabase, &collected, "read-3f9a").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Collect(*stub, kDatabase, &collected).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(Collect(*stub, kDatabase, &collected, "collect-8c2e").ok());
  EXPECT_EQ(collected.posture().name(), kDatabase);

  // `pgposture query` over the same TLS and token.
  const std::vector<std::string> connect{"query",
                                         "--address",
                                         daemon.grpc_address(),
                                         "--tls-ca-file",
                                         certs.Path("ca.crt"),
                                         "--tls-cert-file",
                                         certs.Path("client.crt"),
                                         "--tls-key-file",
                                         certs.Path("client.key")};
  std::vector<std::string> targets = connect;
  targets.insert(targets.end(), {"--token-file", read_token, "targets"});
  const ProcessResult listed = RunPgposture(targets);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("DATABASE"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(kDatabase), std::string::npos) << listed.out;
  std::vector<std::string> tokenless = connect;
  tokenless.push_back("targets");
  const ProcessResult refused = RunPgposture(tokenless);
  EXPECT_EQ(refused.exit_code, 77) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("UNAUTHENTICATED"), std::string::npos) << refused.err;
}

TEST(GrpcTest, QueryPrintsTablesAndJson) {
  AuditedCluster audited;
  audited.CreateFromDashboard("from_dashboard");
  Daemon daemon(WriteTempFile("pgposture.yml", Config("2s", audited.TargetYaml())));
  ASSERT_TRUE(
      EventuallyServing(grpc::CreateChannel(daemon.grpc_address(), grpc::InsecureChannelCredentials())));
  const auto query = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"query", "--address", daemon.grpc_address()});
    return RunPgposture(args);
  };

  const ProcessResult posture = query({"posture", "app/postgres", "--format", "json"});
  ASSERT_EQ(posture.exit_code, 0) << posture.err;
  v1::DatabasePosture parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(posture.out, &parsed).ok()) << posture.out;
  EXPECT_EQ(parsed.name(), kDatabase);
  EXPECT_TRUE(parsed.pgaudit().loaded());

  const ProcessResult text = query({"posture", kDatabase});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(std::string(kDatabase) + " (prod)"), std::string::npos) << text.out;

  const ProcessResult findings = query({"findings", "--env", "prod", "--failing"});
  EXPECT_EQ(findings.exit_code, 0) << findings.err;
  EXPECT_NE(findings.out.find("ddl.no_out_of_band_changes"), std::string::npos) << findings.out;
  EXPECT_EQ(findings.out.find("  pass"), std::string::npos) << findings.out;

  const ProcessResult ddl = query({"ddl", "--out-of-band", "--since", "1h"});
  EXPECT_EQ(ddl.exit_code, 0) << ddl.err;
  EXPECT_NE(ddl.out.find("public.from_dashboard"), std::string::npos) << ddl.out;
  EXPECT_NE(ddl.out.find("out_of_band"), std::string::npos) << ddl.out;

  const ProcessResult unknown = query({"posture", "app/nope"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("NOT_FOUND"), std::string::npos) << unknown.err;

  // `watch` prints each change as it comes. The command says nothing once
  // subscribed, so changes are made until one shows.
  Process watch(
      Command({PgpostureBinary(), "query", "--address", daemon.grpc_address(), "watch", "--out-of-band"}));
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  for (int i = 0; watch.Stdout().empty() && std::chrono::steady_clock::now() < deadline; ++i) {
    audited.CreateFromDashboard("watched_" + std::to_string(i));
    std::this_thread::sleep_for(500ms);
  }
  const std::string line = watch.Stdout();
  EXPECT_NE(
      line.find("  targets/app/databases/postgres  out_of_band  dashboard  postgres  postgres-meta 0.1  "
                "CREATE TABLE  public.watched_"),
      std::string::npos)
      << line << watch.Stderr();
  watch.Kill(SIGTERM);
}

TEST(GrpcTest, PythonClientGeneratedFromTheProtosWorks) {
  AuditedCluster audited;
  Daemon daemon(WriteTempFile("pgposture.yml", Config("2s", audited.TargetYaml())));
  ASSERT_TRUE(
      EventuallyServing(grpc::CreateChannel(daemon.grpc_address(), grpc::InsecureChannelCredentials())));

  std::string generated = WriteTempFile("README", "generated Python client\n");
  generated = generated.substr(0, generated.rfind('/'));
  const std::string proto_dir = std::string(PGPOSTURE_SOURCE_DIR) + "/proto";
  const ProcessResult protoc = RunProcess(
      Command({PROTOC, "-I", proto_dir, "--python_out=" + generated, "--grpc_python_out=" + generated,
               std::string("--plugin=protoc-gen-grpc_python=") + GRPC_PYTHON_PLUGIN,
               proto_dir + "/pgposture/v1/posture.proto", proto_dir + "/pgposture/v1/service.proto"}),
      60s);
  ASSERT_EQ(protoc.exit_code, 0) << protoc.err;

  const ProcessResult client =
      RunProcess(Command({PYTHON_WITH_GRPC, std::string(PGPOSTURE_SOURCE_DIR) + "/tests/e2e/python_client.py",
                          daemon.grpc_address(), generated}),
                 60s);
  ASSERT_EQ(client.exit_code, 0) << client.out << client.err;
  EXPECT_NE(client.out.find("databases=" + std::string(kDatabase) + "\n"), std::string::npos) << client.out;
  EXPECT_NE(client.out.find("posture=" + std::string(kDatabase) + "\n"), std::string::npos) << client.out;
  EXPECT_NE(client.out.find("pgaudit_loaded=True\n"), std::string::npos) << client.out;
  EXPECT_NE(client.out.find("maturity=MATURITY_LEVEL_"), std::string::npos) << client.out;
  EXPECT_NE(client.out.find("failing="), std::string::npos) << client.out;
  EXPECT_NE(client.out.find("unknown=NOT_FOUND\n"), std::string::npos) << client.out;
}

}  // namespace
}  // namespace pgposture::testing
