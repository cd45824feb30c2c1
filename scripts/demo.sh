#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs what is needed,
# builds pgposture, starts a throwaway PostgreSQL 15 cluster with pgaudit and
# WAL archiving, and runs the daemon against it until Ctrl-C. The cluster is
# destroyed on exit.
#   scripts/demo.sh                 metrics on 127.0.0.1:9932, gRPC on 127.0.0.1:9933
#   METRICS_ADDRESS=127.0.0.1:0 GRPC_ADDRESS=127.0.0.1:0 scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target pgposture
pgposture="$build_dir/agent/pgposture"

demo=$(mktemp -d /tmp/pgposture-demo-XXXXXX)
# As root the cluster runs as the postgres user, which must reach its directory.
chmod 755 "$demo"
daemon_pid=
cleanup() {
  [[ -n $daemon_pid ]] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" || true
  scripts/pgcluster.sh destroy "$demo/pg" || true
  rm -rf "$demo"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

echo "== starting a throwaway PostgreSQL 15 cluster in $demo/pg"
port=$(scripts/pgcluster.sh start "$demo/pg" --pgaudit --archive --conf "pgaudit.log = 'ddl, role'")
port=${port#port=}
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
scripts/pgcluster.sh psql "$demo/pg" <<SQL
CREATE ROLE pgposture LOGIN PASSWORD '$password' IN ROLE pg_monitor, pg_read_all_settings;
CREATE EXTENSION pgaudit;
CREATE DATABASE app;
CREATE ROLE app_owner LOGIN PASSWORD 'not-audited';
ALTER ROLE app_owner SET pgaudit.log = 'none';
SQL
(umask 077 && printf '%s\n' "$password" >"$demo/agent.password")

echo "== pgposture install: DDL capture and the password/hba readers, for role pgposture"
"$pgposture" install --dsn "host=127.0.0.1 port=$port dbname=postgres user=postgres" --all-databases \
  --agent-role pgposture
echo "== a schema change made the way a dashboard makes it (out of band)"
scripts/pgcluster.sh psql "$demo/pg" -d app \
  -c "SET application_name = 'postgres-meta 0.83.2'; CREATE TABLE public.made_in_dashboard (id int)"

cat >"$demo/pgposture.yml" <<YAML
agent:
  interval: 10s
  timeout: 5s
listen:
  metrics: "${METRICS_ADDRESS:-127.0.0.1:9932}"
  grpc: "${GRPC_ADDRESS:-127.0.0.1:9933}"
targets:
  - name: demo
    dsn: "host=127.0.0.1 port=$port dbname=postgres user=pgposture"
    password_file: $demo/agent.password
    environment: prod
    labels: {project: demo}
    databases: all
YAML

echo "== one-shot report: $pgposture check --config $demo/pgposture.yml"
"$pgposture" check --config "$demo/pgposture.yml" || true

echo "== the daemon: $pgposture run --config $demo/pgposture.yml"
"$pgposture" run --config "$demo/pgposture.yml" 2> >(tee "$demo/pgposture.log" >&2) &
daemon_pid=$!
for _ in $(seq 100); do
  url=$(grep -o 'metrics on http://[^ ]*' "$demo/pgposture.log" 2>/dev/null | head -n1 | cut -d' ' -f3) || true
  grpc=$(grep -o 'grpc on [^ ]*' "$demo/pgposture.log" 2>/dev/null | head -n1 | cut -d' ' -f3) || true
  [[ -n ${url:-} && -n ${grpc:-} ]] && break
  sleep 0.1
done
[[ -n ${url:-} && -n ${grpc:-} ]] || { echo "the daemon did not start" >&2; exit 1; }
sleep 2
echo "== $url (pgposture_* series):"
curl -sS "$url" | grep '^pgposture_' || true
echo
echo "== over gRPC: $pgposture query --address $grpc posture demo/postgres"
"$pgposture" query --address "$grpc" posture demo/postgres || true
echo
echo "pgposture is running: metrics at $url, gRPC on $grpc ($pgposture query --address $grpc targets)"
echo "— press Ctrl-C to stop and destroy the cluster."
wait "$daemon_pid"
