#include "collectors/session.h"

#include <poll.h>
#include <sys/socket.h>

#include <pqxx/except>
#include <pqxx/nontransaction>

namespace pgposture {

Session::Session(const std::string& conninfo)
    : connection_(conninfo),
      server_version_num_(connection_.server_version()),
      user_(connection_.username()),
      database_(connection_.dbname()) {}

pqxx::result Session::Query(const std::string& sql) {
  ++round_trips_;
  // A nontransaction sends no BEGIN: the statement is its own transaction,
  // read-only by the session default set at connect time.
  pqxx::nontransaction transaction(connection_);
  return transaction.exec(sql);
}

void Session::Prefetch(const std::vector<std::string>& statements) {
  prefetched_.clear();
  if (statements.size() < 2) return;
  std::vector<TaggedRows> parts;
  try {
    parts = SplitParts(Query(UnionOfParts(statements)), statements.size());
  } catch (const pqxx::sql_error&) {
    if (!is_open()) throw;
    return;
  }
  for (size_t part = 0; part < statements.size(); ++part)
    prefetched_[statements[part]] = std::move(parts[part]);
}

TaggedRows Session::QueryRows(const std::string& sql) {
  const auto kept = prefetched_.find(sql);
  if (kept == prefetched_.end()) return ToTaggedRows(Query(sql));
  TaggedRows rows = std::move(kept->second);
  prefetched_.erase(kept);
  return rows;
}

bool Session::is_open() const { return connection_.is_open(); }

bool Session::ClosedByServer() const {
  // The agent LISTENs to nothing, and notices and parameter changes come
  // with a statement's answer, so an idle socket with something to read holds
  // the server's FATAL or end of file. A failed poll counts as closed too: a
  // new session is the safe answer.
  pollfd socket{connection_.sock(), POLLIN, 0};
  return socket.fd < 0 || ::poll(&socket, 1, 0) != 0;
}

void Session::Abort() {
  const int socket = connection_.sock();
  if (socket >= 0) ::shutdown(socket, SHUT_RDWR);
}

}  // namespace pgposture
