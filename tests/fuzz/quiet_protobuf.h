// Included by the one source file of a fuzz target that parses messages
// from its input: defines the target's libFuzzer initialization hook.
#pragma once

#include <google/protobuf/stubs/logging.h>

#include <string>

/// Most inputs are not valid messages, and protobuf logs each string field
/// that is not UTF-8: the fuzzer would spend its time writing to stderr.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  return 0;
}
