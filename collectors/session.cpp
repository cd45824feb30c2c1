#include "collectors/session.h"

#include <sys/socket.h>

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

bool Session::is_open() const { return connection_.is_open(); }

void Session::Abort() {
  const int socket = connection_.sock();
  if (socket >= 0) ::shutdown(socket, SHUT_RDWR);
}

}  // namespace pgposture
