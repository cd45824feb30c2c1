#include "collectors/collector_runner.h"

namespace pgposture {

void RunCollectors(std::initializer_list<CollectorGroup> groups, Session& session,
                   std::vector<TaggedQuery> along) {
  std::vector<TaggedQuery> first_queries = std::move(along);
  for (const CollectorGroup& group : groups) {
    for (const auto& collector : group.collectors) {
      TaggedQuery query = collector->FirstQuery();
      if (!query.sql.empty()) first_queries.push_back(std::move(query));
    }
  }
  session.Prefetch(first_queries);

  for (const CollectorGroup& group : groups) {
    for (auto& collector : group.collectors) {
      try {
        collector->Collect(session, group.posture);
      } catch (const std::exception& e) {
        if (!session.is_open()) throw;
        // Exceptions stop at the collector boundary: one area's failure (say,
        // a missing grant) must not hide the facts of the others.
        v1::CollectorError* error = group.posture.mutable_collection()->add_collector_errors();
        error->set_collector(collector->name());
        error->set_message(e.what());
      }
    }
  }
}

}  // namespace pgposture
