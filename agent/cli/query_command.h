// `pgposture query`: a PostureService client for people.
#pragma once

#include <chrono>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace pgposture {

struct QueryOptions {
  /// The subcommand: targets, posture, findings, ddl, watch or collect.
  std::string command;
  std::string address = "127.0.0.1:9933";
  std::string token_file;
  /// TLS is on with --tls or any of the files below.
  bool tls = false;
  /// CA of the server's certificate; empty: the system's roots.
  std::string tls_ca_file;
  /// Client certificate and key, for servers that require one (mTLS).
  std::string tls_cert_file;
  std::string tls_key_file;
  /// Name to check the server's certificate against instead of the host.
  std::string tls_server_name;
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  std::string format = "text";

  /// posture, collect: the database; findings, ddl, watch: a target or
  /// database to narrow to. A resource name or the short "target" /
  /// "target/database".
  std::string name;
  std::string environment;
  bool failing = false;
  std::string severity;
  std::string check_id;
  std::string level;
  bool out_of_band = false;
  std::string since;
};

/// Adds `query` and its subcommands to `app`, parsing into `options`.
CLI::App* AddQueryCommand(CLI::App& app, QueryOptions& options);

/// Runs the parsed subcommand and prints the answer; exit code 0 done, 1 the
/// server refused (its status printed), 69 server unreachable or not ready,
/// 77 not authenticated or not allowed, 64 usage.
int RunQuery(const QueryOptions& options);

}  // namespace pgposture
