#!/usr/bin/env bash
# Sets up everything and runs every test: unit, integration (real PostgreSQL
# 15 clusters with pgaudit) and end-to-end (the built daemon as a process).
#   scripts/test.sh            build in ./build and run the suite
#   BUILD_DIR=... scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPGPOSTURE_WERROR=ON
cmake --build "$build_dir" -j "$(nproc)"
ctest --test-dir "$build_dir" -j "$(nproc)" -LE bench --output-on-failure
