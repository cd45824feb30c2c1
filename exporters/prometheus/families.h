// One renderer per fact area: facts of one snapshot part -> samples.
//
// A renderer adds nothing for facts that were not collected (unset optional
// fields, absent messages), so "unknown" never reads as a healthy 0 or 1.
#pragma once

#include "exporters/prometheus/exposition.h"

namespace pgposture {

/// Renders the families of one area from `facts`, with `labels` on every series.
using AreaRenderer = void (*)(const v1::DatabasePosture& facts, const Labels& labels, Families& out);

// Database-scoped: read from a snapshot's database part, labelled with DatabaseLabels.
void AddCollectionFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out);
void AddCheckFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out);
void AddPgauditDatabaseFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out);
void AddDdlFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out);
void AddMigrationFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out);

// Cluster-scoped: read once per target from a snapshot's cluster part,
// labelled with TargetLabels.
void AddClusterCollectionFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out);
void AddPgauditClusterFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out);
void AddBackupFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out);
void AddRolesFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out);
void AddNetworkFamilies(const v1::DatabasePosture& facts, const Labels& labels, Families& out);

/// 1 for true, 0 for false: the value of a yes/no fact.
inline double Flag(bool value) { return value ? 1 : 0; }

/// An optional field of `Message` that becomes one sample of a family,
/// labelled with `name`.
template <typename Message, typename T>
struct LabelledField {
  const char* name;
  bool (Message::*has)() const;
  T (Message::*value)() const;
};

/// Adds a sample of `spec` for each of `fields` set in `message`, with
/// `label`=field name; returns whether any was set.
template <typename Message, typename T, size_t N>
bool AddLabelledFields(const FamilySpec& spec, const char* label,
                       const LabelledField<Message, T> (&fields)[N], const Message& message,
                       const Labels& labels, Families& out) {
  bool any = false;
  for (const LabelledField<Message, T>& field : fields) {
    if (!(message.*field.has)()) continue;
    any = true;
    out.Add(spec, labels, {{label, field.name}}, static_cast<double>((message.*field.value)()));
  }
  return any;
}

}  // namespace pgposture
