// Calling a function the agent may be unable to call (one of `pgposture
// install`'s before the install, a catalog one that needs a grant) without
// failing when it cannot, and without paying for that check once it can.
#pragma once

#include <pqxx/except>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/session.h"
#include "collectors/tagged_rows.h"

namespace pgposture {

/// The two forms of a collector statement that calls such a function.
///   kGuarded: runs whether or not the function is there and callable, and
///             says which; it reads the rows through query_to_xml, because a
///             statement naming a missing function fails as a whole, and one
///             calling a function it may not execute fails when it starts,
///             even if the call is in a CASE branch that never runs.
///   kDirect:  names the function, so it fails without it, but costs none of
///             query_to_xml's parsing and planning and XMLTABLE's: 0.1 to 0.2
///             ms of server time per function per cycle, warm, about half of
///             the roles and network reads.
enum class CallForm { kGuarded, kDirect };

/// The body of a CTE with the columns `doc` (xml) and `callable` (boolean)
/// for a statement reading pgposture.`function`() (no arguments).
/// Guarded: `doc` is the result of `query` as pg_catalog.query_to_xml renders
/// it (NULL columns left out) when the agent may call the function, else NULL
/// (and `callable` false); the statement reads it with XMLTABLE. Direct:
/// `callable` is true and `doc` NULL; the statement calls the function itself.
/// `query` must schema-qualify every name and must not contain "$installed$".
std::string InstalledFunctionCte(CallForm form, std::string_view function, std::string_view query);

/// True when `error` says the install is gone (a function, a table or the
/// schema) or the agent may no longer use it (a grant revoked).
bool IsInstallOrGrantGone(const pqxx::sql_error& error);

/// GuardedCallReader::Forms from a function that builds either text: each
/// is built once, on first use, and kept for the life of the process.
template <std::string (*Build)(CallForm)>
const std::string& BuiltOnce(CallForm form) {
  static const std::string guarded = Build(CallForm::kGuarded);
  static const std::string direct = Build(CallForm::kDirect);
  return form == CallForm::kDirect ? direct : guarded;
}

/// Which form of a collector's statement to send, learnt from the rows: the
/// guarded one until a read shows the function callable, then the direct one
/// until a read fails because the function, its schema or the agent's grant
/// is gone. Both forms must say whether the function was callable in column
/// `c` of their row of kind `callable_row`. One instance per collector, kept
/// across cycles.
class GuardedCallReader {
 public:
  /// The text of the statement in each form; what it returns must live as
  /// long as the reader.
  using Forms = const std::string& (*)(CallForm form);
  explicit GuardedCallReader(Forms forms, const char* callable_row = "server")
      : forms_(forms), callable_row_(callable_row) {}

  /// The statement to send this cycle (Collector::FirstQuery). The direct
  /// form takes `direct_params` as $1, $2, ...; the guarded form takes none.
  TaggedQuery statement(const std::vector<std::string>& direct_params = {}) const;

  /// The rows of statement(direct_params). When the direct form fails
  /// because the install or the grant is gone, reads the guarded form at once
  /// (one more round trip), so the cycle reports the facts as unknown rather
  /// than an error. Throws pqxx exceptions.
  TaggedRows Read(Session& session, const std::vector<std::string>& direct_params = {});

 private:
  Forms forms_;
  const char* callable_row_;
  CallForm form_ = CallForm::kGuarded;
};

}  // namespace pgposture
