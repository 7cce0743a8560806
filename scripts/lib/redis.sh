#!/usr/bin/env bash
# A throwaway Redis for the tests, on 127.0.0.1 only.
#
#   scripts/lib/redis.sh start [ENV_FILE]  installs redis-server if missing, starts a server on
#                                          port ${GATEHOUSE_REDIS_PORT:-56379} and prints (or writes to
#                                          ENV_FILE) the line: export GATEHOUSE_TEST_REDIS='...'
#   scripts/lib/redis.sh stop              stops that server
#
# Both are idempotent. Nothing is persisted (--save '' --appendonly no); keys are never evicted
# (noeviction, as docs/deployment.md asks of a production Redis).
set -euo pipefail

port="${GATEHOUSE_REDIS_PORT:-56379}"
pidfile="${TMPDIR:-/tmp}/gatehouse-redis-$port.pid"
connection="127.0.0.1:$port"

log() { echo "redis.sh: $*" >&2; }

install_if_missing() {
  if ! command -v redis-server >/dev/null 2>&1; then
    log "installing redis-server (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    # The package starts a system-wide server on 6379; ours runs on its own port and the tests never use that one.
  fi
  command -v redis-server >/dev/null 2>&1 || { log "redis-server not found after installing it"; exit 1; }
}

is_running() {
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

emit() {
  local line="export GATEHOUSE_TEST_REDIS='$connection'"
  if [[ -n "${1:-}" ]]; then
    echo "$line" >"$1"
  else
    echo "$line"
  fi
}

start() {
  install_if_missing
  if is_running; then
    log "already running on $connection"
    emit "${1:-}"
    return
  fi
  rm -f "$pidfile"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy noeviction \
    --daemonize yes --pidfile "$pidfile" --dir "${TMPDIR:-/tmp}" --logfile "${TMPDIR:-/tmp}/gatehouse-redis-$port.log"
  for _ in $(seq 1 50); do
    if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
      log "ready on $connection"
      emit "${1:-}"
      return
    fi
    sleep 0.1
  done
  log "server did not become ready"; cat "${TMPDIR:-/tmp}/gatehouse-redis-$port.log" >&2 || true; exit 1
}

stop() {
  if is_running; then
    local pid
    pid="$(cat "$pidfile")"
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "stopped"
  fi
  rm -f "$pidfile" "${TMPDIR:-/tmp}/gatehouse-redis-$port.log"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  *) echo "usage: $0 start [ENV_FILE] | stop" >&2; exit 2 ;;
esac
