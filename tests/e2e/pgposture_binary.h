// Running the built pgposture binary from end-to-end tests.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "pgposture/v1/posture.pb.h"
#include "tests/harness/process.h"

namespace pgposture::testing {

/// Path of the pgposture binary under test.
std::string PgpostureBinary();

/// Runs `pgposture args...` to completion (30 s at most).
ProcessResult RunPgposture(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

/// Parses `pgposture check --format json` output; fails the test on bad JSON.
v1::CheckReport ParseReport(const std::string& json);

/// The report's posture of `database`; fails the test when absent.
const v1::DatabasePosture& PostureOf(const v1::CheckReport& report, const std::string& name);

/// The finding `check_id` of `posture`; fails the test when absent.
const v1::Finding& FindingOf(const v1::DatabasePosture& posture, const std::string& check_id);

/// A running `pgposture run`, stopped with SIGKILL if the test does not stop it.
class Daemon {
 public:
  /// Starts `pgposture run --config config` and waits (10 s at most) for the
  /// log lines naming the metrics and gRPC addresses. `env`: "NAME=value"
  /// entries added to its environment.
  explicit Daemon(const std::string& config_path, std::vector<std::string> env = {});
  Process& process() { return process_; }
  /// http://host:port of the metrics endpoint.
  const std::string& metrics_url() const { return metrics_url_; }
  /// host:port the gRPC server listens on.
  const std::string& grpc_address() const { return grpc_address_; }

 private:
  Process process_;
  std::string metrics_url_;
  std::string grpc_address_;
};

/// GET `url` over HTTP (curl); throws when the request fails.
std::string HttpGet(const std::string& url);

/// The HTTP status of GET `url` (curl); throws when no response arrives.
int HttpStatus(const std::string& url);

/// Polls the metrics endpoint `url` until `series_prefix` has `value`.
bool EventuallyEquals(const std::string& url, const std::string& series_prefix, double value,
                      std::chrono::seconds within);

/// Value of the first sample in `exposition` whose line starts with
/// `series_prefix` (e.g. `pgposture_up{target="a"`), or nullopt.
std::optional<double> SampleValue(const std::string& exposition, const std::string& series_prefix);

/// Writes `content` to a new file in a fresh temporary directory; returns its path.
std::string WriteTempFile(const std::string& name, const std::string& content);

}  // namespace pgposture::testing
