#!/usr/bin/env bash
# Starts the demo Gatehouse (SQLite, dev certificate) on loopback and runs tests/compat against it.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$1
data="$work/compat-data"
port=$("$root/scripts/lib/free-port.sh")

dotnet "$root/src/Gatehouse.Server/bin/Release/net10.0/Gatehouse.Server.dll" \
  --urls "https://127.0.0.1:$port" --data-dir "$data" --dev-cert --demo > "$work/compat-server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT

for _ in $(seq 1 120); do
  if [ -f "$data/dev-ca.pem" ] && curl -fsS --cacert "$data/dev-ca.pem" \
      "https://127.0.0.1:$port/.well-known/openid-configuration" >/dev/null 2>&1; then
    break
  fi
  kill -0 $pid 2>/dev/null || { echo "Gatehouse exited:"; cat "$work/compat-server.log"; exit 1; }
  sleep 0.5
done

export GATEHOUSE_DOMAIN="127.0.0.1:$port"
export GATEHOUSE_DEMO="$data/demo.json"
export NODE_EXTRA_CA_CERTS="$data/dev-ca.pem"
cd "$root/tests/compat" && node --test --test-reporter=spec --test-concurrency=1 ./*.test.mjs
