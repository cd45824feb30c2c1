#!/usr/bin/env bash
# Builds the benchmarks (tests/bench, ctest label `bench`) and runs every one
# in order, each printing its table, then a summary of their goals.
#   scripts/bench.sh           full sizes: fleet and peer up to 1,000 databases,
#                              a 10-minute soak (about 30 minutes on 2 cores)
#   scripts/bench.sh --quick   up to 100 databases, a 60 s soak
#   BUILD_DIR=... scripts/bench.sh
# Exits nonzero when a benchmark fails to run; a missed goal prints "NOT met".
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
case ${1:-} in
  '') ;;
  --quick) quick=1 ;;
  *) sed -n '4,7s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac

scripts/install-deps.sh --bench

build_dir=${BUILD_DIR:-build}
benches=(scrape_bench grpc_bench ddl_capture_bench fleet_bench peer_bench degraded_bench soak_bench)
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPGPOSTURE_WERROR=ON
cmake --build "$build_dir" -j "$(nproc)" --target pgposture "${benches[@]}"

declare -A args=()
if ((quick)); then
  args[fleet_bench]='--max-databases 100'
  args[peer_bench]='--max-databases 100 --scrapes 20'
  args[soak_bench]='--duration 60 --restart-every 20'
fi

logs="$build_dir/bench-logs"
mkdir -p "$logs"
failed=0
summary=()
for bench in "${benches[@]}"; do
  echo "=== $bench ${args[$bench]:-}"
  started=$SECONDS
  # shellcheck disable=SC2086 # the arguments are words
  if "$build_dir/tests/bench/$bench" ${args[$bench]:-} 2>"$logs/$bench.err" | tee "$logs/$bench.txt"; then
    status=ok
  else
    status=FAILED
    failed=1
    tail -n 20 "$logs/$bench.err" >&2
  fi
  summary+=("$(printf '%-18s %-7s %5d s' "$bench" "$status" $((SECONDS - started)))")
  while IFS= read -r line; do summary+=("    $line"); done < <(grep -E 'goal|met\b| ratio ' "$logs/$bench.txt" || true)
  echo
done

echo "=== summary (machine: $(nproc) cores, $(uname -m); logs in $logs)"
printf '%s\n' "${summary[@]}"
exit "$failed"
