// ParseConfig reads the YAML configuration, as the main file and as a
// targets file (which holds only `targets`). Properties: it returns a Config
// or throws ConfigError, nothing else; an error names the file and never
// shows a password a DSN in the text carries; what it accepts obeys the
// rules the rest of the agent relies on (valid DSNs without passwords,
// unique target names, networks the DDL classifier can parse, patterns
// that compile, a timeout within the interval).
//
// The loader opens the password and TLS files it is given (never reads
// them): texts naming anything under /dev, /proc or /sys are skipped, so
// the fuzzer cannot open a device.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "agent/config/config_loader.h"
#include "collectors/conninfo.h"
#include "collectors/ddl/cidr.h"
#include "tests/fuzz/canary.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

constexpr const char* kPath = "/nonexistent/pgposture-fuzz/pgposture.yml";

void CollectScalars(const YAML::Node& node, std::vector<std::string>* out) {
  if (node.IsScalar()) out->push_back(node.Scalar());
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) CollectScalars(item, out);
  }
  if (node.IsMap()) {
    for (const auto& entry : node) {
      CollectScalars(entry.first, out);
      CollectScalars(entry.second, out);
    }
  }
}

// Every scalar, keys included; nullopt when the text is not YAML.
std::optional<std::vector<std::string>> Scalars(const std::string& text) {
  std::vector<std::string> scalars;
  try {
    CollectScalars(YAML::Load(text), &scalars);
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
  return scalars;
}

bool NamesSystemFolder(const std::string& scalar) {
  return scalar.find("dev") != std::string::npos || scalar.find("proc") != std::string::npos ||
         scalar.find("sys") != std::string::npos;
}

// Passwords of DSNs in the text that are canaries and appear once in it:
// in their DSN.
std::vector<std::string> DistinctivePasswords(const std::string& text,
                                              const std::vector<std::string>& scalars) {
  std::vector<std::string> passwords;
  for (const std::string& scalar : scalars) {
    const std::string password = pgposture::ConnInfoValue(scalar, "password");
    const std::size_t first = text.find(password);
    if (IsCanary(password) && first != std::string::npos &&
        text.find(password, first + 1) == std::string::npos) {
      passwords.push_back(password);
    }
  }
  return passwords;
}

void CheckAccepted(const pgposture::Config& config) {
  FUZZ_CHECK(config.agent.timeout <= config.agent.interval);
  FUZZ_CHECK(!config.targets.empty() || !config.targets_file.empty());
  std::set<std::string> names;
  for (const pgposture::TargetConfig& target : config.targets) {
    FUZZ_CHECK(!target.name.empty() && names.insert(target.name).second);
    FUZZ_CHECK(!pgposture::ConnInfoError(target.dsn));
    FUZZ_CHECK(!pgposture::ConnInfoHasPassword(target.dsn));
    FUZZ_CHECK(target.environment == "local" || target.environment == "staging" ||
               target.environment == "prod");
  }
  for (const std::string& cidr : config.policy.ddl.migration_client_cidrs) {
    FUZZ_CHECK(pgposture::ParseCidr(cidr).has_value());
  }
  std::vector<std::string> patterns = config.policy.ddl.migration_application_names;
  patterns.insert(patterns.end(), config.policy.interactive_application_names.begin(),
                  config.policy.interactive_application_names.end());
  for (const std::string& pattern : patterns) {
    try {
      std::regex compiled(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      FUZZ_CHECK(false);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::optional<std::vector<std::string>> scalars = Scalars(text);
  if (scalars && std::any_of(scalars->begin(), scalars->end(), NamesSystemFolder)) return 0;
  for (const pgposture::ConfigDocument document :
       {pgposture::ConfigDocument::kMain, pgposture::ConfigDocument::kTargetsFile}) {
    try {
      CheckAccepted(pgposture::ParseConfig(text, kPath, document));
    } catch (const pgposture::ConfigError& error) {
      const std::string message = error.what();
      FUZZ_CHECK(message.rfind(std::string(kPath) + ":", 0) == 0);
      if (scalars) {
        for (const std::string& password : DistinctivePasswords(text, *scalars)) {
          FUZZ_CHECK(message.find(password) == std::string::npos);
        }
      }
    }
  }
  return 0;
}
