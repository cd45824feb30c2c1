#!/usr/bin/env bash
# Installs everything pgposture needs to build, test and demo on Debian 12.
# Idempotent; run as root (or it uses sudo).
#   scripts/install-deps.sh [--bench]
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ ccache pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libpqxx-dev libpq-dev prometheus-cpp-dev libspdlog-dev libyaml-cpp-dev
  libsystemd-dev libcli11-dev libcivetweb-dev
  libgtest-dev libgmock-dev libssl-dev
  # CI: formatting check and the systemd unit checks (systemd-analyze)
  clang-format systemd
  # CI: the libFuzzer targets (scripts/fuzz.sh): clang, its fuzzer and
  # sanitizer runtimes, and llvm-symbolizer for readable reports
  clang libclang-rt-14-dev llvm
  # the clusters the tests and the demo audit, and the backup tool the tests
  # archive with and the agent asks for the last base backup
  postgresql-15 postgresql-15-pgaudit pgbackrest
  # tests: scraping /metrics, linting it; locale data for the decimal-comma
  # locale test (the build generates de_DE.UTF-8 from it with localedef)
  curl prometheus locales
  # tests: a gRPC client in another language (grpc_python_plugin is in
  # protobuf-compiler-grpc) and certificates for mTLS
  python3-grpcio python3-protobuf openssl
)
# --bench: also the peer scripts/bench.sh compares pgposture with. Left out of
# the normal install: it is a packaged service that building and testing do
# not need (the benchmark runs the binary itself, on a free port).
if [[ ${1:-} == --bench ]]; then
  packages+=(prometheus-postgres-exporter)
fi

sudo_if_needed=()
if [[ $(id -u) -ne 0 ]]; then sudo_if_needed=(sudo); fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_if_needed[@]}" apt-get update -q
  "${sudo_if_needed[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Debian starts a "main" cluster on 5432 with the server package; nothing here
# uses it, so leave it alone.
