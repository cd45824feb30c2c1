#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang) and runs each for a
# bounded time over a copy of its seed corpus, as many at once as there are
# cores. Fails on any crash, sanitizer report, leak, hang or violated
# property; the input that caused it is kept in BUILD_DIR/fuzz-artifacts.
#   scripts/fuzz.sh                   20 s per target, in ./build-fuzz
#   FUZZ_SECONDS=600 BUILD_DIR=... scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

build_dir=${BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-20}

CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPGPOSTURE_WERROR=ON -DPGPOSTURE_FUZZ=ON -DPGPOSTURE_TESTS=OFF
cmake --build "$build_dir" -j "$(nproc)" --target fuzzers

# What the fuzzers add to the corpus stays in the build folder: the seeds in
# the repository are not modified.
work=$build_dir/fuzz-runs
rm -rf "$work" "$build_dir/fuzz-artifacts"
mkdir -p "$work" "$build_dir/fuzz-artifacts"

fuzz() {
  local name=$1
  cp -r "tests/fuzz/corpus/$name" "$work/$name"
  if ! "$build_dir/tests/fuzz/${name}_fuzz" -max_total_time="$seconds" -timeout=10 \
    -artifact_prefix="$build_dir/fuzz-artifacts/$name-" "$work/$name" >"$work/$name.log" 2>&1; then
    touch "$work/$name.failed"
  fi
  echo "$name: $(grep -E '^Done' "$work/$name.log" || echo 'did not finish')"
}

for corpus in tests/fuzz/corpus/*/; do
  while (($(jobs -rp | wc -l) >= $(nproc))); do wait -n || true; done
  fuzz "$(basename "$corpus")" &
done
wait

status=0
for failed in "$work"/*.failed; do
  [[ -e $failed ]] || continue
  name=$(basename "$failed" .failed)
  echo "== $name failed; reproduce with: $build_dir/tests/fuzz/${name}_fuzz $build_dir/fuzz-artifacts/$name-*"
  tail -n 40 "$work/$name.log"
  status=1
done
exit $status
