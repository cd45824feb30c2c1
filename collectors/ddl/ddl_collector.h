// Captured DDL of one database, read incrementally and classified.
#pragma once

#include "collectors/collector.h"
#include "collectors/collector_options.h"
#include "collectors/ddl/ddl_classifier.h"
#include "collectors/ddl/ddl_history.h"

namespace pgposture {

class DdlCollector : public Collector {
 public:
  explicit DdlCollector(const CollectorOptions& options);
  const char* name() const override { return "ddl"; }
  Scope scope() const override { return Scope::kDatabase; }
  /// The probe until the capture is known to be installed, then the read.
  TaggedQuery FirstQuery() const override;
  void Collect(Session& session, v1::DatabasePosture& posture) override;

 private:
  /// Reads the captured DDL after the cursor.
  TaggedQuery CaptureQuery() const;
  /// Whether the capture's tables exist here and the agent may read them;
  /// probed (one cheap query) until they do.
  bool CaptureInstalled(Session& session);

  DdlClassifier classifier_;
  DdlHistory history_;
  bool installed_ = false;
};

/// Fills capture health (installed, enabled, failures) from a read.
void FillCaptureHealth(const DdlCaptureRead& read, v1::DdlFacts& facts);

}  // namespace pgposture
