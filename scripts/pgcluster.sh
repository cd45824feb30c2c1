#!/usr/bin/env bash
# Throwaway PostgreSQL 15 clusters for tests and local experiments.
# This is the only implementation: the C++ test fixture (tests/harness/pg_cluster.cpp) calls it too.
#
#   pgcluster.sh start DIR [--port N] [--pgaudit] [--archive] [--conf 'line']...
#                          [--hba-file FILE] [--ssl-dir DIR]
#   pgcluster.sh stop DIR
#   pgcluster.sh restart DIR
#   pgcluster.sh destroy DIR
#   pgcluster.sh psql DIR [psql args...]
#
# Layout: DIR/data (PGDATA), DIR/postgres.log, DIR/archive (with --archive), and the Unix socket
# directly in DIR. start and restart print "port=N" and nothing else on stdout. Options only apply
# when start creates the cluster; start on an existing cluster starts it again as it was created.
# --conf lines come after the script's own settings and so override them, except the port: use
# --port for that. --ssl-dir must hold server.crt and server.key, and may hold root.crt (client CA).
# As root the server runs as the OS user postgres, because initdb and postgres refuse root.
set -euo pipefail

readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly SERVER_USER=postgres
readonly MARKER=.pgcluster
readonly START_ATTEMPTS=20

die() {
  echo "pgcluster.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '5,10s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

# Runs a server-side command as the user the server must run as. The subshell cds to / because
# postgres binaries fail when they cannot resolve a working directory such as /root.
as_server() {
  if ((EUID == 0)); then
    (cd / && runuser -u "$SERVER_USER" -- "$@")
  else
    "$@"
  fi
}

give_to_server() {
  if ((EUID == 0)); then
    chown -R "$SERVER_USER:" "$@"
  fi
}

# A pristine initdb result is copied instead of running initdb per cluster: initdb costs about a
# second on a machine that runs many test clusters at once, a copy a fraction of that.
template_dir() {
  local template="${TMPDIR:-/tmp}/pgposture-pg15-template-$EUID" lock_fd
  if [[ ! -d "$template" ]]; then
    # Build under the lock into a staging dir, then rename: readers that saw the final name never
    # see a half-written template, and only one parallel caller pays for initdb.
    exec {lock_fd}>"$template.lock"
    flock "$lock_fd"
    if [[ ! -d "$template" ]]; then
      local staging="$template.staging"
      rm -rf "$staging"
      mkdir -m 0700 "$staging"
      give_to_server "$staging"
      as_server "$PG_BIN/initdb" --pgdata="$staging" --username=postgres --auth=trust \
        --no-locale --encoding=UTF8 --no-sync --no-instructions >/dev/null
      mv "$staging" "$template"
    fi
    exec {lock_fd}>&-
  fi
  echo "$template"
}

# Picks below the kernel's ephemeral range so that ports handed out for outgoing connections and
# by bind(port 0) (see FreeLoopbackPortNobodyListensOn) never collide with a test server.
random_port() {
  local ephemeral_low
  read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range
  echo $((10000 + SRANDOM % (ephemeral_low - 10000)))
}

write_conf() {
  local dir=$1 port=$2 pgaudit=$3 archive=$4
  shift 4
  {
    echo "# Written by pgcluster.sh."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$dir'"
    # A throwaway cluster trades durability for speed.
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "full_page_writes = off"
    echo "shared_buffers = 16MB"
    echo "max_connections = 50"
    if ((pgaudit)); then
      echo "shared_preload_libraries = 'pgaudit'"
    fi
    if ((archive)); then
      echo "wal_level = replica"
      echo "archive_mode = on"
      echo "archive_command = 'test ! -f $dir/archive/%f && cp %p $dir/archive/%f'"
    fi
    if [[ -d "$dir/ssl" ]]; then
      echo "ssl = on"
      echo "ssl_cert_file = '$dir/ssl/server.crt'"
      echo "ssl_key_file = '$dir/ssl/server.key'"
      if [[ -f "$dir/ssl/root.crt" ]]; then
        echo "ssl_ca_file = '$dir/ssl/root.crt'"
      fi
    fi
    if (($#)); then
      printf '%s\n' "$@"
    fi
  } >"$dir/data/pgcluster.conf"
}

write_default_hba() {
  # The bootstrap superuser gets in without a password so tests can set up; every other role
  # authenticates with a password over TCP so tests can exercise password auth.
  cat >"$1" <<'EOF'
# TYPE  DATABASE     USER      ADDRESS       METHOD
local   all          all                     trust
local   replication  all                     trust
host    all          postgres  127.0.0.1/32  trust
host    replication  postgres  127.0.0.1/32  trust
host    all          all       127.0.0.1/32  scram-sha-256
EOF
}

configured_port() {
  sed -n 's/^port = \([0-9]*\)$/\1/p' "$1/data/pgcluster.conf"
}

is_running() {
  [[ -f "$1/data/postmaster.pid" ]] &&
    as_server "$PG_BIN/pg_ctl" status --pgdata="$1/data" >/dev/null
}

log_size() {
  if [[ -f "$1/postgres.log" ]]; then stat -c %s "$1/postgres.log"; else echo 0; fi
}

# Starts the server; returns 2 when only the port was taken, so the caller can pick another
# without pg_ctl's complaint about it cluttering stderr.
start_server() {
  local dir=$1 log_offset pg_ctl_errors
  log_offset=$(log_size "$dir")
  if pg_ctl_errors=$(as_server "$PG_BIN/pg_ctl" start --pgdata="$dir/data" \
    --log="$dir/postgres.log" --wait --timeout=30 2>&1 >/dev/null); then
    return 0
  fi
  if tail -c "+$((log_offset + 1))" "$dir/postgres.log" | grep -q 'Address already in use'; then
    return 2
  fi
  echo "$pg_ctl_errors" >&2
  return 1
}

fail_with_log() {
  echo "pgcluster.sh: $1; server log tail:" >&2
  tail -n 40 "$2/postgres.log" >&2 2>/dev/null || true
  exit 1
}

create_cluster() {
  local dir=$1
  shift
  local port='' pgaudit=0 archive=0 hba_file='' ssl_dir=''
  local conf_lines=()
  while (($#)); do
    case $1 in
      --port) port=${2:?--port needs a value}; shift 2 ;;
      --pgaudit) pgaudit=1; shift ;;
      --archive) archive=1; shift ;;
      --conf) conf_lines+=("${2?--conf needs a value}"); shift 2 ;;
      --hba-file) hba_file=$(realpath "${2:?--hba-file needs a value}"); shift 2 ;;
      --ssl-dir) ssl_dir=$(realpath "${2:?--ssl-dir needs a value}"); shift 2 ;;
      *) usage ;;
    esac
  done
  [[ -z "$port" || "$port" =~ ^[0-9]+$ ]] || die "invalid port: $port"

  cp -a "$(template_dir)" "$dir/data"
  echo "include 'pgcluster.conf'" >>"$dir/data/postgresql.conf"
  if [[ -n "$hba_file" ]]; then
    cp "$hba_file" "$dir/data/pg_hba.conf"
  else
    write_default_hba "$dir/data/pg_hba.conf"
  fi
  if ((archive)); then
    mkdir "$dir/archive"
  fi
  if [[ -n "$ssl_dir" ]]; then
    # Copies, because the server insists on owning a private key nobody else can read.
    mkdir "$dir/ssl"
    cp "$ssl_dir/server.crt" "$ssl_dir/server.key" "$dir/ssl/"
    if [[ -f "$ssl_dir/root.crt" ]]; then
      cp "$ssl_dir/root.crt" "$dir/ssl/"
    fi
    chmod 0600 "$dir/ssl/server.key"
  fi
  give_to_server "$dir"
  as_server test -w "$dir" -a -x "$dir" ||
    die "$SERVER_USER cannot use $dir; are all its parent directories searchable?"

  local attempt status
  for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
    write_conf "$dir" "${port:-$(random_port)}" "$pgaudit" "$archive" "${conf_lines[@]}"
    give_to_server "$dir/data/pgcluster.conf"
    status=0
    start_server "$dir" || status=$?
    if ((status == 0)); then
      return
    fi
    if ((status == 1)) || [[ -n "$port" ]]; then
      fail_with_log "server did not start" "$dir"
    fi
  done
  fail_with_log "no free port after $START_ATTEMPTS attempts" "$dir"
}

cmd_start() {
  local dir=$1
  shift
  if [[ -f "$dir/data/PG_VERSION" ]]; then
    (($# == 0)) || die "$dir already holds a cluster; options only apply when creating one"
    is_running "$dir" || start_server "$dir" || fail_with_log "server did not start" "$dir"
  else
    create_cluster "$dir" "$@"
  fi
  echo "port=$(configured_port "$dir")"
}

cmd_stop() {
  local dir=$1
  if ! is_running "$dir"; then
    return 0
  fi
  if ! as_server "$PG_BIN/pg_ctl" stop --pgdata="$dir/data" --mode=fast --wait --timeout=30 \
    >/dev/null; then
    as_server "$PG_BIN/pg_ctl" stop --pgdata="$dir/data" --mode=immediate --wait --timeout=30 \
      >/dev/null
  fi
}

cmd_destroy() {
  local dir=$1
  if [[ ! -e "$dir" ]]; then
    return 0
  fi
  # The marker keeps a mistyped DIR from turning into rm -rf of something precious.
  [[ -f "$dir/$MARKER" ]] || die "$dir was not created by pgcluster.sh; not removing it"
  cmd_stop "$dir"
  rm -rf "$dir"
}

cmd_psql() {
  local dir=$1
  shift
  # Over the Unix socket, so tests that lock down TCP in pg_hba.conf can still set up and inspect.
  "$PG_BIN/psql" --host="$dir" --port="$(configured_port "$dir")" --username=postgres \
    --dbname=postgres -v ON_ERROR_STOP=1 -X -q "$@"
}

main() {
  (($# >= 2)) || usage
  local command=$1 dir
  # Absolute, because server-side commands run from /, and checked, because DIR ends up unquoted
  # in archive_command and in the socket path, which the kernel limits to 107 bytes.
  dir=$(realpath -m "$2")
  shift 2
  [[ "$dir" =~ ^[A-Za-z0-9/._-]+$ ]] || die "DIR must not need quoting: $dir"
  ((${#dir} <= 80)) || die "DIR is too long for a Unix socket path: $dir"

  case $command in
    start)
      mkdir -p "$dir"
      touch "$dir/$MARKER"
      cmd_start "$dir" "$@"
      ;;
    stop) cmd_stop "$dir" ;;
    restart)
      cmd_stop "$dir"
      cmd_start "$dir"
      ;;
    destroy) cmd_destroy "$dir" ;;
    psql) cmd_psql "$dir" "$@" ;;
    *) usage ;;
  esac
}

main "$@"
