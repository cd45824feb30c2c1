#include "exporters/snapshot_source.h"

namespace pgposture {

v1::DatabasePosture MergedPosture(const DatabaseSnapshot& snapshot) {
  v1::DatabasePosture merged;
  if (snapshot.cluster) merged = *snapshot.cluster;
  // The two parts set disjoint fields, so merging is a plain union.
  if (snapshot.database) merged.MergeFrom(*snapshot.database);
  return merged;
}

}  // namespace pgposture
