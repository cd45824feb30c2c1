// Which pg_hba.conf rules expose the server, and how.
#pragma once

#include <string>
#include <vector>

#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// True when a rule's address (and netmask, as pg_hba_file_rules splits
/// them) only matches the server itself: loopback addresses (127.0.0.0/8,
/// ::1), `localhost` and `samehost`. Everything else, host names and
/// `samenet` included, is remote.
bool IsLocalAddress(const std::string& address, const std::string& netmask);

/// True when a rule matches every client address: `all`, or a zero netmask
/// (0.0.0.0/0, ::/0).
bool IsOpenToAll(const std::string& address, const std::string& netmask);

/// The risks of one rule. `local` (Unix socket) rules, `reject` rules and
/// lines the server could not parse carry none; a `host*` rule can carry
/// several: open to all addresses; and for remote addresses `trust`,
/// `password` or `md5`, and a type that does not require SSL or GSSAPI
/// encryption (host, hostnossl, hostnogssenc).
std::vector<v1::HbaRisk> HbaRisks(const v1::HbaRule& rule);

}  // namespace pgposture
