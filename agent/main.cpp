// pgposture: audits the production posture of PostgreSQL databases.
#include "agent/cli/cli.h"

int main(int argc, char** argv) { return pgposture::RunCli(argc, argv); }
