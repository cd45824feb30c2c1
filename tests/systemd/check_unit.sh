#!/usr/bin/env bash
# Checks systemd/pgposture.service: `systemd-analyze verify` passes and
# `systemd-analyze security` rates it at most 2.0 ("OK").
#   check_unit.sh UNIT BINARY
set -euo pipefail
unit=$1
binary=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# verify wants ExecStart's binary to exist: point it at the one just built.
sed "s|^ExecStart=[^ ]*/pgposture |ExecStart=$binary |" "$unit" >"$work/pgposture.service"
systemd-analyze verify "$work/pgposture.service"

# The threshold is on systemd's 0-100 scale: 20 is an exposure of 2.0.
systemd-analyze security --offline=yes --threshold=20 "$work/pgposture.service" | tail -n 1
