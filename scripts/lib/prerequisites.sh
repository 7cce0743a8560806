#!/usr/bin/env bash
# Installs what the test rings need and a fresh machine lacks. Idempotent: skips what is there.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
command -v node >/dev/null || need_apt+=(nodejs npm)
# The dashboard's browser tests drive Debian's Chromium (Playwright never downloads one).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# Exploratory fuzzing (fuzz/run) runs AFL++ over SharpFuzz-instrumented assemblies; the CI ring (fuzz/replay) needs neither.
command -v afl-fuzz >/dev/null || need_apt+=(afl++)
# The cluster ring (scripts/cluster): Redis for the shared state, haproxy in front of the nodes.
command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v haproxy >/dev/null || need_apt+=(haproxy)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "the .NET SDK is missing (see global.json)"; exit 1; }
# Local .NET tools (.config/dotnet-tools.json): sharpfuzz for fuzz/run.
(cd "$root" && dotnet tool restore >/dev/null)

(cd "$root/tests/compat" && npm ci --no-audit --no-fund --loglevel=error)
