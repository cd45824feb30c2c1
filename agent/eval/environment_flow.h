// Changes must flow local -> staging -> prod: a prod database is compared
// with its staging siblings (staging targets with the same `project` label).
#pragma once

#include <vector>

#include "agent/state/snapshot_store.h"
#include "pgposture/v1/posture.pb.h"

namespace pgposture {

/// Versions shown per history table at most.
constexpr int kMaxUnreleasedVersions = 100;

/// Pure: how the migrations of `posture` compare with those of its staging
/// siblings among `snapshots`; only the project for a database not in prod. Staging siblings are the staging
/// databases with the same non-empty `project` label and the same database
/// name, or, when none has that name, all of them. Per history table (same
/// tool and table), a version applied in prod that no sibling applied is
/// unreleased. Tools that keep only the current version (alembic,
/// golang-migrate) are not compared: their order is unknown. When a
/// sibling's history is cut at the latest 1000 versions, only prod versions
/// newer than the oldest version both share are judged.
v1::EnvironmentFlow EnvironmentFlowOf(const v1::DatabasePosture& posture,
                                      const std::vector<DatabaseSnapshot>& snapshots);

/// The step after each collection cycle: prod databases published before
/// their staging siblings in the cycle were compared with the siblings'
/// previous facts, so every prod snapshot is compared again with what is
/// published now, and re-evaluated and republished when that changed.
void RefreshEnvironmentFlow(SnapshotStore& store);

}  // namespace pgposture
