#include "collectors/session.h"

#include <poll.h>
#include <sys/socket.h>

#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/prepared_statement>

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

namespace {

constexpr const char* kBatchStatement = "pgposture_batch";

}  // namespace

void Session::PrepareBatch(const std::string& sql) {
  if (batch_prepared_) {
    // pqxx keeps the text of what it prepared, and compares: the same text
    // again changes nothing, another one is refused. Keeping a copy here too
    // would cost 3 KB per session, 3 MB at 1,000 databases.
    try {
      connection_.prepare(kBatchStatement, sql);
      return;
    } catch (const pqxx::argument_error&) {
      ++round_trips_;  // DEALLOCATE
      connection_.unprepare(kBatchStatement);
      batch_prepared_ = false;
    }
  }
  connection_.prepare(kBatchStatement, sql);
  try {
    ++round_trips_;
    connection_.prepare_now(kBatchStatement);
  } catch (const pqxx::sql_error&) {
    // Never registered with the server: forgetting it costs no round trip.
    connection_.unprepare(kBatchStatement);
    throw;
  }
  batch_prepared_ = true;
}

void Session::Prefetch(const std::vector<TaggedQuery>& statements) {
  prefetched_.clear();
  if (statements.size() < 2) return;
  const TaggedQuery batch = UnionOfParts(statements);
  std::vector<TaggedRows> parts;
  try {
    PrepareBatch(batch.sql);
    ++round_trips_;
    pqxx::nontransaction transaction(connection_);
    parts = SplitParts(
        transaction.exec_prepared(kBatchStatement, pqxx::prepare::make_dynamic_params(batch.params)),
        statements.size());
  } catch (const pqxx::sql_error&) {
    if (!is_open()) throw;
    return;
  }
  for (size_t part = 0; part < statements.size(); ++part)
    prefetched_[statements[part]] = std::move(parts[part]);
}

TaggedRows Session::QueryRows(const TaggedQuery& query) {
  const auto kept = prefetched_.find(query);
  if (kept != prefetched_.end()) {
    TaggedRows rows = std::move(kept->second);
    prefetched_.erase(kept);
    return rows;
  }
  if (query.params.empty()) return ToTaggedRows(Query(query.sql));
  ++round_trips_;
  pqxx::nontransaction transaction(connection_);
  return ToTaggedRows(transaction.exec_params(query.sql, pqxx::prepare::make_dynamic_params(query.params)));
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
