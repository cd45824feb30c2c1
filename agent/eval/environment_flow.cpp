#include "agent/eval/environment_flow.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <string>

#include "agent/eval/evaluator.h"

namespace pgposture {
namespace {

constexpr const char* kProjectLabel = "project";

std::string ProjectOf(const v1::DatabasePosture& posture) {
  const auto found = posture.labels().find(kProjectLabel);
  return found == posture.labels().end() ? "" : found->second;
}

std::vector<const v1::DatabasePosture*> StagingSiblings(const v1::DatabasePosture& prod,
                                                        const std::vector<DatabaseSnapshot>& snapshots) {
  const std::string project = ProjectOf(prod);
  std::vector<const v1::DatabasePosture*> siblings;
  if (project.empty()) return siblings;
  for (const DatabaseSnapshot& snapshot : snapshots) {
    const v1::DatabasePosture& candidate = *snapshot.database;
    if (candidate.environment() == "staging" && ProjectOf(candidate) == project)
      siblings.push_back(&candidate);
  }
  std::vector<const v1::DatabasePosture*> same_name;
  std::copy_if(siblings.begin(), siblings.end(), std::back_inserter(same_name),
               [&](const v1::DatabasePosture* s) { return s->database() == prod.database(); });
  return same_name.empty() ? siblings : same_name;
}

// What the siblings applied of one history table.
struct StagingHistory {
  std::set<std::string> versions;
  // Some sibling's history is cut at its latest versions.
  bool cut = false;
  // Why the siblings' history is unknown; empty when known.
  std::string unknown;
};

StagingHistory HistoryOf(const v1::MigrationTable& table,
                         const std::vector<const v1::DatabasePosture*>& siblings) {
  StagingHistory history;
  for (const v1::DatabasePosture* sibling : siblings) {
    if (!sibling->has_migrations()) {
      history.unknown = "the migration history of " + sibling->name() + " was not collected";
      continue;
    }
    for (const v1::MigrationTable& staged : sibling->migrations().tables()) {
      if (staged.tool() != table.tool() || staged.table() != table.table()) continue;
      if (!staged.error().empty()) history.unknown = sibling->name() + ": " + staged.error();
      history.versions.insert(staged.applied_versions().begin(), staged.applied_versions().end());
      history.cut |= staged.applied_count() > staged.applied_versions_size();
    }
  }
  return history;
}

// Prod versions of `table` absent from `history`, newest first; nullopt when
// that cannot be told.
std::optional<std::vector<std::string>> Unreleased(const v1::MigrationTable& table,
                                                   const StagingHistory& history) {
  const auto& versions = table.applied_versions();
  // With a cut staging history, versions older than the oldest shared one
  // may have been applied in staging before its kept window.
  int judged = versions.size();
  if (history.cut) {
    judged = -1;
    for (int i = 0; i < versions.size(); ++i) {
      if (history.versions.count(versions[i])) judged = i;
    }
    if (judged < 0) return std::nullopt;
  }
  std::vector<std::string> unreleased;
  for (int i = 0; i < judged; ++i) {
    if (!history.versions.count(versions[i])) unreleased.push_back(versions[i]);
  }
  return unreleased;
}

}  // namespace

v1::EnvironmentFlow EnvironmentFlowOf(const v1::DatabasePosture& posture,
                                      const std::vector<DatabaseSnapshot>& snapshots) {
  v1::EnvironmentFlow flow;
  flow.set_project(ProjectOf(posture));
  if (posture.environment() != "prod") return flow;
  const std::vector<const v1::DatabasePosture*> siblings = StagingSiblings(posture, snapshots);
  for (const v1::DatabasePosture* sibling : siblings) flow.add_staging_databases(sibling->name());
  if (siblings.empty()) return flow;
  if (!posture.has_migrations()) {
    flow.set_incomplete("the migration history of this database was not collected");
    return flow;
  }
  for (const v1::MigrationTable& table : posture.migrations().tables()) {
    if (!table.error().empty()) {
      flow.set_incomplete(table.table() + ": " + table.error());
      continue;
    }
    const StagingHistory history = HistoryOf(table, siblings);
    if (!history.unknown.empty()) {
      flow.set_incomplete(history.unknown);
      continue;
    }
    const std::optional<std::vector<std::string>> unreleased = Unreleased(table, history);
    if (!unreleased) {
      flow.set_incomplete(table.table() +
                          ": staging keeps more versions than were read, none shared with prod's");
      continue;
    }
    if (unreleased->empty()) continue;
    v1::UnreleasedMigrations& entry = *flow.add_unreleased();
    entry.set_tool(table.tool());
    entry.set_table(table.table());
    const size_t shown = std::min<size_t>(unreleased->size(), kMaxUnreleasedVersions);
    for (size_t i = 0; i < shown; ++i) entry.add_versions((*unreleased)[i]);
  }
  return flow;
}

void RefreshEnvironmentFlow(SnapshotStore& store) {
  const std::vector<DatabaseSnapshot> snapshots = store.List();
  for (const DatabaseSnapshot& snapshot : snapshots) {
    const v1::DatabasePosture& current = *snapshot.database;
    if (current.environment() != "prod") continue;
    v1::EnvironmentFlow flow = EnvironmentFlowOf(current, snapshots);
    if (current.has_environment_flow() &&
        google::protobuf::util::MessageDifferencer::Equals(flow, current.environment_flow())) {
      continue;
    }
    // Published snapshots are immutable: the new one is a copy.
    auto updated = std::make_shared<v1::DatabasePosture>(current);
    *updated->mutable_environment_flow() = std::move(flow);
    Evaluate(MergedPosture({snapshot.cluster, updated}), updated->required_level(), *updated);
    store.Publish({snapshot.cluster, std::move(updated)});
  }
}

}  // namespace pgposture
