#include "collectors/collector_runner.h"

namespace pgposture {

void RunCollectors(Collectors& collectors, Session& session, v1::DatabasePosture& posture) {
  for (auto& collector : collectors) {
    try {
      collector->Collect(session, posture);
    } catch (const std::exception& e) {
      if (!session.is_open()) throw;
      // Exceptions stop at the collector boundary: one area's failure (say, a
      // missing grant) must not hide the facts of the others.
      v1::CollectorError* error = posture.mutable_collection()->add_collector_errors();
      error->set_collector(collector->name());
      error->set_message(e.what());
    }
  }
}

}  // namespace pgposture
