#!/usr/bin/env bash
# `cmake --install` puts the binary, the unit, the example configuration and
# the alert rules where packagers and operators look for them.
#   check_install.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for file in bin/pgposture lib/systemd/system/pgposture.service share/doc/pgposture/pgposture.example.yml \
            share/pgposture/pgposture-alerts.yml; do
  [[ -f $prefix/$file ]] || { echo "missing after install: $file" >&2; exit 1; }
done
"$prefix/bin/pgposture" --version | grep -q '^pgposture [0-9]'
echo "installed: binary, unit, example configuration, alert rules"
