// Reading a target's password file.
#pragma once

#include <string>

namespace pgposture {

/// The password in `path`: its first line, without the line ending. Read at
/// every connect, so a rotated password is picked up without a reload.
/// Throws CollectionError (ERROR_CLASS_CONFIG) naming the file, never its
/// content.
std::string ReadPasswordFile(const std::string& path);

}  // namespace pgposture
