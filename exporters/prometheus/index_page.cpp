#include "exporters/prometheus/index_page.h"

#include "exporters/prometheus/exposition.h"

namespace pgposture {
namespace {

std::string Escape(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string Cell(const std::string& text) { return "<td>" + Escape(text) + "</td>"; }

std::string DatabaseRow(const v1::DatabasePosture& database) {
  const v1::CollectionInfo& collection = database.collection();
  std::string state = "up";
  if (collection.stale()) state = "down (" + EnumLabel(collection.error_class()) + "): " + collection.error();
  return "<tr>" + Cell(database.name()) + Cell(database.environment()) + Cell(state) +
         Cell(EnumLabel(database.maturity_level())) + Cell(EnumLabel(database.required_level())) + "</tr>\n";
}

}  // namespace

std::string IndexPage(const std::vector<DatabaseSnapshot>& snapshots, bool ready, const BuildInfo& build) {
  size_t up = 0;
  std::string rows;
  for (const DatabaseSnapshot& snapshot : snapshots) {
    up += snapshot.database->collection().stale() ? 0 : 1;
    rows += DatabaseRow(*snapshot.database);
  }
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>pgposture</title></head><body>\n"
         "<h1>pgposture " +
         Escape(build.version) + " (" + Escape(build.revision) +
         ")</h1>\n"
         "<p><a href=\"/metrics\">/metrics</a> &middot; <a href=\"/healthz\">/healthz</a> &middot; "
         "<a href=\"/readyz\">/readyz</a></p>\n<p>" +
         (ready ? "ready: the first collection cycle has finished"
                : "starting: the first collection cycle is running") +
         "; " + std::to_string(up) + " of " + std::to_string(snapshots.size()) +
         " databases up.</p>\n"
         "<table>\n<tr><th>database</th><th>environment</th><th>state</th><th>maturity</th><th>required</"
         "th></tr>\n" +
         rows + "</table>\n</body></html>\n";
}

}  // namespace pgposture
