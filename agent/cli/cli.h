// The command line: subcommands run, check and version.
#pragma once

namespace pgposture {

/// Parses the command line, runs the chosen subcommand and returns the exit
/// code: 0 ok, 1 checks failed, 2 collection failed, 64 usage, 78 bad config.
int RunCli(int argc, char** argv);

}  // namespace pgposture
