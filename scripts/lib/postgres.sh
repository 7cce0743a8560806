#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests, on 127.0.0.1 only.
#
#   scripts/lib/postgres.sh start [ENV_FILE]  installs PostgreSQL if missing, starts a server on
#                                             port ${GATEHOUSE_PG_PORT:-55432} and prints (or writes to
#                                             ENV_FILE) the line: export GATEHOUSE_TEST_POSTGRES='...'
#   scripts/lib/postgres.sh stop              stops that server and removes its data folder
#
# Both are idempotent. PostgreSQL refuses to run as root, so as root the server runs as the `postgres`
# user on a folder that user owns. The data is disposable: fsync is off.
set -euo pipefail

port="${GATEHOUSE_PG_PORT:-55432}"
dir="${GATEHOUSE_PG_DIR:-${TMPDIR:-/tmp}/gatehouse-pg-$port}"
connection="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"

log() { echo "postgres.sh: $*" >&2; }

bin_dir() {
  local initdb
  initdb="$(ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "$initdb" ]] && dirname "$initdb"
}

# Runs a command as the server's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install_if_missing() {
  if [[ -z "$(bin_dir)" ]]; then
    log "installing postgresql (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  [[ -n "$(bin_dir)" ]] || { log "initdb not found after installing postgresql"; exit 1; }
}

is_running() {
  local bin="$1"
  [[ -f "$dir/PG_VERSION" ]] && as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1
}

emit() {
  local line="export GATEHOUSE_TEST_POSTGRES='$connection'"
  if [[ -n "${1:-}" ]]; then
    echo "$line" >"$1"
  else
    echo "$line"
  fi
}

start() {
  install_if_missing
  local bin
  bin="$(bin_dir)"
  if is_running "$bin"; then
    log "already running on 127.0.0.1:$port ($dir)"
    emit "${1:-}"
    return
  fi

  # A folder left by a crashed run is useless: start from a clean one.
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [[ "$(id -u)" -eq 0 ]]; then
    chown postgres:postgres "$dir"
  fi

  as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
    || { cat "$dir.initdb.log" >&2; exit 1; }
  rm -f "$dir.initdb.log"

  as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

  for _ in $(seq 1 50); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      log "ready on 127.0.0.1:$port ($dir)"
      emit "${1:-}"
      return
    fi
    sleep 0.2
  done
  log "server did not become ready"; cat "$dir/server.log" >&2; exit 1
}

stop() {
  local bin
  bin="$(bin_dir || true)"
  if [[ -n "$bin" ]] && is_running "$bin"; then
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    log "stopped"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  *) echo "usage: $0 start [ENV_FILE] | stop" >&2; exit 2 ;;
esac
