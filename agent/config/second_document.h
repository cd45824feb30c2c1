// Finding a second YAML document in a configuration file.
#pragma once

#include <yaml-cpp/mark.h>

#include <optional>
#include <string>

namespace pgposture {

/// Where a second document with content starts in `yaml_text`, or nullopt.
/// A configuration is one document: a second would be ignored without a
/// word. Reads two documents at most: yaml-cpp 0.7's LoadAll never returns
/// on some malformed input (a lone ","), where it keeps finding empty
/// documents. Throws YAML::Exception on a syntax error in the second one.
std::optional<YAML::Mark> SecondDocument(const std::string& yaml_text);

}  // namespace pgposture
