#include "tests/e2e/pgposture_binary.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace pgposture::testing {

std::string PgpostureBinary() { return PGPOSTURE_BINARY; }

ProcessResult RunPgposture(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> argv{PgpostureBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(Command(argv, env), std::chrono::seconds(30));
}

v1::CheckReport ParseReport(const std::string& json) {
  v1::CheckReport report;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &report);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return report;
}

const v1::DatabasePosture& PostureOf(const v1::CheckReport& report, const std::string& name) {
  for (const v1::DatabasePosture& posture : report.databases()) {
    if (posture.name() == name) return posture;
  }
  ADD_FAILURE() << "no database " << name << " in report";
  throw std::runtime_error("no database " + name);
}

const v1::Finding& FindingOf(const v1::DatabasePosture& posture, const std::string& check_id) {
  for (const v1::Finding& finding : posture.findings()) {
    if (finding.check_id() == check_id) return finding;
  }
  ADD_FAILURE() << "no finding " << check_id;
  throw std::runtime_error("no finding " + check_id);
}

Daemon::Daemon(const std::string& config_path, std::vector<std::string> env)
    : process_(Command({PgpostureBinary(), "run", "--config", config_path}, std::move(env))) {
  // The text between `marker` and `end` in the log; empty until logged.
  const auto between = [](const std::string& err, const std::string& marker, const std::string& end) {
    const size_t at = err.find(marker);
    const size_t stop = at == std::string::npos ? at : err.find(end, at + marker.size());
    return stop == std::string::npos ? std::string()
                                     : err.substr(at + marker.size(), stop - at - marker.size());
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string err = process_.Stderr();
    metrics_url_ = between(err, "metrics on ", "/metrics");
    // "grpc on 127.0.0.1:40211" or "grpc on 127.0.0.1:40211 (TLS)".
    grpc_address_ = between(err, "grpc on ", "\n");
    grpc_address_ = grpc_address_.substr(0, grpc_address_.find(' '));
    if (!metrics_url_.empty() && !grpc_address_.empty()) return;
    if (process_.Wait(std::chrono::milliseconds(50))) break;
  }
  throw std::runtime_error("pgposture run did not report its metrics and grpc addresses: " +
                           process_.Stderr());
}

std::string HttpGet(const std::string& url) {
  const ProcessResult result =
      RunProcess(Command({"curl", "-sS", "--fail", "--max-time", "5", url}), std::chrono::seconds(10));
  if (result.exit_code != 0) throw std::runtime_error("GET " + url + " failed: " + result.err);
  return result.out;
}

int HttpStatus(const std::string& url) {
  const ProcessResult result =
      RunProcess(Command({"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", url}),
                 std::chrono::seconds(10));
  if (result.exit_code != 0) throw std::runtime_error("GET " + url + " failed: " + result.err);
  return std::stoi(result.out);
}

bool EventuallyEquals(const std::string& url, const std::string& series_prefix, double value,
                      std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (SampleValue(HttpGet(url), series_prefix) == value) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

std::optional<double> SampleValue(const std::string& exposition, const std::string& series_prefix) {
  size_t at = 0;
  while ((at = exposition.find(series_prefix, at)) != std::string::npos) {
    if (at == 0 || exposition[at - 1] == '\n') {
      const size_t line_end = exposition.find('\n', at);
      const std::string line = exposition.substr(at, line_end - at);
      return std::stod(line.substr(line.rfind(' ') + 1));
    }
    ++at;
  }
  return std::nullopt;
}

std::string WriteTempFile(const std::string& name, const std::string& content) {
  char dir[] = "/tmp/pgposture-test-XXXXXX";
  if (!mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
  const std::string path = std::string(dir) + "/" + name;
  std::ofstream(path) << content;
  return path;
}

}  // namespace pgposture::testing
