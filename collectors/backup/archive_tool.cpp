#include "collectors/backup/archive_tool.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace pgposture {
namespace {

using Command = std::vector<std::string>;

std::string FileName(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

// What a word of the command names, by its file name.
v1::ArchiveTool ToolNamed(const std::string& word) {
  const std::string name = FileName(word);
  if (name == "pgbackrest") return v1::ARCHIVE_TOOL_PGBACKREST;
  if (name.rfind("wal-g", 0) == 0) return v1::ARCHIVE_TOOL_WAL_G;
  if (name == "barman-wal-archive" || name == "barman-cloud-wal-archive") return v1::ARCHIVE_TOOL_BARMAN;
  return v1::ARCHIVE_TOOL_UNSPECIFIED;
}

bool Copies(const Command& command) {
  const std::string name = FileName(command.front());
  return name == "cp" || name == "rsync";
}

// `test ! -f dest` guards a copy against overwriting an archived segment.
bool Guards(const Command& command) {
  const std::string name = FileName(command.front());
  return name == "test" || name == "[";
}

// The commands of a shell line, split at ;, &&, || and |, each as its words
// without quotes. Close enough for recognising a tool: the line is never run
// or shown.
std::vector<Command> Commands(std::string line) {
  for (char& c : line) {
    if (c == '\'' || c == '"') c = ' ';
    if (c == ';' || c == '&' || c == '|') c = '\n';
  }
  std::vector<Command> commands;
  std::istringstream lines(line);
  for (std::string text; std::getline(lines, text);) {
    std::istringstream words(text);
    Command command;
    for (std::string word; words >> word;) command.push_back(word);
    if (!command.empty()) commands.push_back(std::move(command));
  }
  return commands;
}

}  // namespace

v1::ArchiveTool RecognizeArchiveTool(const std::string& archive_command, const std::string& archive_library) {
  if (!archive_library.empty()) {
    // archive_library wins over archive_command when both are set.
    if (archive_library == "basic_archive") return v1::ARCHIVE_TOOL_COPY;
    const v1::ArchiveTool tool = ToolNamed(archive_library);
    return tool == v1::ARCHIVE_TOOL_UNSPECIFIED ? v1::ARCHIVE_TOOL_OTHER : tool;
  }
  const std::vector<Command> commands = Commands(archive_command);
  // SHOW archive_command says "(disabled)" while archive_mode is off.
  if (commands.empty() || archive_command == "(disabled)") return v1::ARCHIVE_TOOL_NONE;
  for (const Command& command : commands) {
    // Every word, so that wrappers (envdir, sh -c, sudo -u) do not hide the tool.
    for (const std::string& word : command) {
      const v1::ArchiveTool tool = ToolNamed(word);
      if (tool != v1::ARCHIVE_TOOL_UNSPECIFIED) return tool;
    }
  }
  const bool plain_copy =
      std::any_of(commands.begin(), commands.end(), Copies) &&
      std::all_of(commands.begin(), commands.end(), [](const Command& c) { return Copies(c) || Guards(c); });
  return plain_copy ? v1::ARCHIVE_TOOL_COPY : v1::ARCHIVE_TOOL_OTHER;
}

}  // namespace pgposture
