// Bad input from outside, against the built binary: hostile configuration
// files, connection strings full of characters that need quoting, and
// garbage on the metrics and gRPC ports. Each gets a clear error, and the
// daemon lives on, answering, without its memory ballooning.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <random>
#include <thread>

#include "pgposture/v1/service.grpc.pb.h"
#include "tests/e2e/pgposture_binary.h"
#include "tests/harness/pg_cluster.h"
#include "tests/harness/raw_socket.h"

namespace pgposture::testing {
namespace {

using namespace std::chrono_literals;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Resident memory of process `pid` in KiB, from /proc.
long ResidentKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  throw std::runtime_error("no VmRSS for pid " + std::to_string(pid));
}

std::string RandomBytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xFF);
  return bytes;
}

TEST(BadInputTest, HostileConfigFilesExitSeventyEightNamingThePlace) {
  const std::string garbage =
      WriteTempFile("garbage.yml", "targets:\n  - name: app\n" + RandomBytes(4096, 3));
  const ProcessResult binary = RunPgposture({"check", "--config", garbage});
  EXPECT_EQ(binary.exit_code, 78);
  EXPECT_TRUE(Contains(binary.err, garbage + ":3:")) << binary.err;

  // A billion laughs: every copy of the target repeats all its labels.
  std::string labels;
  for (int i = 0; i < 2000; ++i) labels += (i == 0 ? "l" : ", l") + std::to_string(i) + ": v";
  std::string bomb = "targets:\n  - &t {name: app, dsn: \"host=db1\", labels: {" + labels + "}}\n";
  for (int i = 0; i < 20000; ++i) bomb += "  - *t\n";
  const std::string bomb_path = WriteTempFile("bomb.yml", bomb);
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult aliases = RunPgposture({"check", "--config", bomb_path});
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(aliases.exit_code, 78);
  EXPECT_TRUE(Contains(aliases.err, bomb_path + ":2:")) << aliases.err;
  EXPECT_TRUE(Contains(aliases.err, "aliases")) << aliases.err;

  const std::string folder = garbage.substr(0, garbage.rfind('/'));
  const ProcessResult directory = RunPgposture({"check", "--config", folder});
  EXPECT_EQ(directory.exit_code, 78);
  EXPECT_TRUE(Contains(directory.err, folder + ": cannot read: Is a directory")) << directory.err;
}

// A password with everything that needs quoting, and a unique part to look
// for in every output.
constexpr const char* kSecretMark = "canary-51f0";
const std::string kPassword = std::string("it's {a \"se cr\\et\"} caf\xc3\xa9 \xe2\x9c\x93 ") + kSecretMark;
const std::string kDatabase = "caf\xc3\xa9 db";

// SQL string literal for `text`.
std::string SqlLiteral(const std::string& text) {
  std::string literal = "'";
  for (char c : text) literal += c == '\'' ? std::string("''") : std::string(1, c);
  return literal + "'";
}

TEST(BadInputTest, DsnsNeedingQuotingAndSocketPathsConnectWithoutShowingTheSecret) {
  // Password authentication over the socket as well, so the password is used.
  PgClusterOptions options;
  options.hba =
      "local all postgres trust\nlocal all all scram-sha-256\n"
      "host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n";
  PgCluster cluster(options);
  cluster.Psql("CREATE ROLE agent LOGIN PASSWORD " + SqlLiteral(kPassword) +
               " IN ROLE pg_monitor, pg_read_all_settings");
  cluster.Psql("CREATE DATABASE \"" + kDatabase + "\"");
  const std::string password_file = WriteTempFile("agent.password", kPassword + "\n");
  const std::string port = std::to_string(cluster.port());
  // The socket by its folder in key=value form, TCP in URI form.
  const std::string config = WriteTempFile(
      "pgposture.yml",
      "agent:\n  interval: 1s\n  timeout: 1s\n  log_level: debug\nlisten:\n"
      "  metrics: \"127.0.0.1:0\"\n  grpc: \"127.0.0.1:0\"\ntargets:\n"
      "  - name: socket\n    dsn: \"host=" +
          cluster.dir() + " port=" + port + " user=agent dbname='" + kDatabase + "'\"\n    password_file: " +
          password_file + "\n  - name: uri\n    dsn: \"postgresql://agent@127.0.0.1:" + port +
          "/caf%C3%A9%20db?sslmode=disable&application_name=x%7By%7D\"\n    password_file: " + password_file +
          "\n");

  std::vector<std::string> outputs;
  const ProcessResult check = RunPgposture({"check", "--config", config, "--format", "json"});
  outputs.push_back(check.out + check.err);
  EXPECT_TRUE(Contains(check.out, kDatabase)) << check.out << check.err;
  {
    Daemon daemon(config);
    const std::string metrics = daemon.metrics_url() + "/metrics";
    for (const char* target : {"socket", "uri"}) {
      const std::string up = std::string("pgposture_up{target=\"") + target +
                             "\",environment=\"local\",database=\"" + kDatabase + "\"}";
      EXPECT_TRUE(EventuallyEquals(metrics, up, 1, 15s)) << HttpGet(metrics);
    }
    outputs.push_back(HttpGet(metrics));
    const ProcessResult query = RunPgposture({"query", "--address", daemon.grpc_address(), "targets"});
    outputs.push_back(query.out + query.err);
    daemon.process().Kill(SIGTERM);
    const auto ended = daemon.process().Wait(5s);
    ASSERT_TRUE(ended);
    outputs.push_back(ended->out + ended->err);
  }
  for (const std::string& output : outputs) {
    EXPECT_FALSE(Contains(output, kSecretMark)) << output;
  }
}

// A 5-byte gRPC length prefix declaring `length` bytes.
std::string GrpcPrefix(std::uint32_t length) {
  return std::string(1, '\0') + static_cast<char>(length >> 24) + static_cast<char>((length >> 16) & 0xFF) +
         static_cast<char>((length >> 8) & 0xFF) + static_cast<char>(length & 0xFF);
}

// An HTTP/2 frame header (RFC 9113, 4.1).
std::string FrameHeader(std::size_t length, char type, char flags, std::uint32_t stream) {
  return std::string{static_cast<char>(length >> 16),
                     static_cast<char>((length >> 8) & 0xFF),
                     static_cast<char>(length & 0xFF),
                     type,
                     flags,
                     static_cast<char>(stream >> 24),
                     static_cast<char>(stream >> 16),
                     static_cast<char>(stream >> 8),
                     static_cast<char>(stream)};
}

// An HPACK literal header field without indexing (RFC 7541, 6.2.2); names
// and values shorter than 127 bytes.
std::string Literal(const std::string& name, const std::string& value) {
  return std::string(1, '\0') + static_cast<char>(name.size()) + name + static_cast<char>(value.size()) +
         value;
}

// The start of a GetPosture call whose message declares 64 MiB and sends
// 1 KiB of them: the server must not set aside the memory it announces.
std::string OversizedGrpcCallStart() {
  const std::string headers =
      Literal(":method", "POST") + Literal(":scheme", "http") +
      Literal(":path", "/" + std::string(v1::PostureService::service_full_name()) + "/GetPosture") +
      Literal(":authority", "127.0.0.1") + Literal("content-type", "application/grpc") +
      Literal("te", "trailers");
  const std::string data = GrpcPrefix(64u << 20) + std::string(1024, 'x');
  return "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + FrameHeader(0, 4, 0, 0) + FrameHeader(headers.size(), 1, 4, 1) +
         headers + FrameHeader(data.size(), 0, 0, 1) + data;
}

grpc::Status GetPosture(v1::PostureService::Stub& stub, const std::string& name) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 10s);
  v1::GetPostureRequest request;
  request.set_name(name);
  v1::DatabasePosture posture;
  return stub.GetPosture(&context, request, &posture);
}

TEST(BadInputTest, GarbageOnBothPortsLeavesTheDaemonAnswering) {
  PgCluster cluster;
  const std::string config =
      WriteTempFile("pgposture.yml",
                    "agent:\n  interval: 1s\n  timeout: 1s\nlisten:\n  metrics: \"127.0.0.1:0\"\n"
                    "  grpc: \"127.0.0.1:0\"\ntargets:\n  - name: app\n    dsn: \"" +
                        cluster.Dsn() + "\"\n");
  Daemon daemon(config);
  const std::string metrics = daemon.metrics_url() + "/metrics";
  const std::string up = R"(pgposture_up{target="app",environment="local",database="postgres"})";
  ASSERT_TRUE(EventuallyEquals(metrics, up, 1, 10s)) << HttpGet(metrics);
  auto stub = v1::PostureService::NewStub(
      grpc::CreateChannel(daemon.grpc_address(), grpc::InsecureChannelCredentials()));
  ASSERT_TRUE(GetPosture(*stub, "targets/app/databases/postgres").ok());
  const long rss_before = ResidentKib(daemon.process().pid());
  const int http_port = PortOf(daemon.metrics_url());
  const int grpc_port = PortOf(daemon.grpc_address());

  // Connections that never send a byte stay open through the whole test.
  std::vector<std::unique_ptr<RawConnection>> silent;
  for (int i = 0; i < 8; ++i) {
    silent.push_back(std::make_unique<RawConnection>(http_port));
    silent.push_back(std::make_unique<RawConnection>(grpc_port));
  }
  const auto scrape_is_quick = [&] {
    const auto started = std::chrono::steady_clock::now();
    const std::string body = HttpGet(metrics);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "scrape slowed by silent connections";
    return SampleValue(body, up) == 1;
  };
  EXPECT_TRUE(scrape_is_quick());
  // Nor do they hold a thread for long: the server hangs up on them.
  EXPECT_EQ(silent.front()->ReceiveUntilClosed(15s), "");
  EXPECT_TRUE(silent.front()->ClosedByPeer());

  const std::string huge(1 << 20, 'a');
  // Each request, and whether it is a GET of /metrics the server may answer.
  std::string many_headers;
  for (int i = 0; i < 20000; ++i) many_headers += "X-" + std::to_string(i) + ": y\r\n";
  const std::vector<std::pair<std::string, bool>> http_garbage{
      {RandomBytes(64 * 1024, 1), false},
      {"GET /" + huge + " HTTP/1.1\r\nHost: x\r\n\r\n", false},
      {"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + huge + "\r\n\r\n", false},
      {"GET /metrics HTTP/1.1\r\nHost: x\r\n" + many_headers + "\r\n", false},
      {"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\nabc", false},
      {"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 9223372036854775807\r\n\r\nabc", false},
      {"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", true},
      {"GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nabc", true},
      {"GET /metrics HTTP/9.9\r\n\r\n", false},
      {"\r\n\r\n\r\n", false},
  };
  for (const auto& [request, may_scrape] : http_garbage) {
    RawConnection connection(http_port);
    connection.Send(request);
    const std::string answer = connection.ReceiveUntilClosed(6s);
    // Refused with a status line, or the connection closed.
    EXPECT_TRUE(answer.empty() || answer.rfind("HTTP/", 0) == 0) << answer.substr(0, 200);
    EXPECT_TRUE(may_scrape || !Contains(answer, "pgposture_up")) << request.substr(0, 80);
    EXPECT_TRUE(connection.ClosedByPeer()) << request.substr(0, 80);
  }
  EXPECT_TRUE(scrape_is_quick());

  const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  const std::vector<std::string> grpc_garbage{
      RandomBytes(64 * 1024, 2),
      "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /" + std::string(v1::PostureService::service_full_name()) +
          "/GetPosture HTTP/1.1\r\nContent-Type: application/grpc\r\nContent-Length: 5\r\n\r\n" +
          GrpcPrefix(0),
      preface.substr(0, 10),
      preface + RandomBytes(4096, 3),
      OversizedGrpcCallStart(),
  };
  for (const std::string& bytes : grpc_garbage) {
    RawConnection connection(grpc_port);
    connection.Send(bytes);
    connection.ReceiveUntilClosed(2s);
  }

  // A real message over the receive limit (64 KiB) is refused as such.
  const grpc::Status oversized = GetPosture(*stub, "targets/" + std::string(1 << 20, 'a') + "/databases/x");
  EXPECT_EQ(oversized.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << oversized.error_message();

  // Still alive and answering on both ports.
  EXPECT_FALSE(daemon.process().Wait(0ms)) << daemon.process().Stderr();
  EXPECT_TRUE(scrape_is_quick());
  EXPECT_TRUE(GetPosture(*stub, "targets/app/databases/postgres").ok());
  const auto fresh_stub = v1::PostureService::NewStub(
      grpc::CreateChannel(daemon.grpc_address(), grpc::InsecureChannelCredentials()));
  EXPECT_TRUE(GetPosture(*fresh_stub, "targets/app/databases/postgres").ok());
  // The 64 MiB announced were never set aside, nor the megabytes sent.
  const long rss_after = ResidentKib(daemon.process().pid());
  EXPECT_LT(rss_after, rss_before + 32 * 1024)
      << "VmRSS before " << rss_before << " KiB, after " << rss_after;

  silent.clear();
  daemon.process().Kill(SIGTERM);
  const auto ended = daemon.process().Wait(5s);
  ASSERT_TRUE(ended) << "still running 5 s after SIGTERM";
  EXPECT_EQ(ended->exit_code, 0) << ended->err;
}

}  // namespace
}  // namespace pgposture::testing
