// Reading what `pgposture install` provides without failing when it is not
// installed.
#pragma once

#include <string>
#include <string_view>

namespace pgposture {

/// A SQL expression of type xml for a collector's query: the result of
/// `query` as pg_catalog.query_to_xml renders it (NULL columns left out)
/// when the agent may call pgposture.`function`() (no arguments), else NULL.
/// A statement naming a missing function fails as a whole, so `query` is
/// only parsed when the function is there and callable; the collector reads
/// the document with XMLTABLE in the same round trip, or, on NULL, reports
/// the facts as unknown. `query` must schema-qualify every name and must not
/// contain "$installed$".
std::string InstalledFunctionRows(std::string_view function, std::string_view query);

}  // namespace pgposture
