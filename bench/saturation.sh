#!/usr/bin/env bash
# Liveness under CPU saturation: a 2-worker cluster per listener mode, default health settings, 60 s of wrk
# on a CPU-bound endpoint; prints each worker's restarts and the primary's "is unhealthy" lines (both should be 0).
# Usage: bench/saturation.sh [seconds]   (needs wrk; bench/run.sh installs it)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
dotnet build Primary -c Release -v q -nologo >/dev/null
primary=Primary/bin/Release/net10.0/ClusterTemplate.Primary
pid=""
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true' EXIT INT TERM

for mode in reuseport shared proxy; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  dir=$(mktemp -u /tmp/ct-saturation-XXXXXX)
  log=$(mktemp /tmp/ct-saturation-log-XXXXXX)
  "$primary" --workers 2 --port "$port" --mode "$mode" --runtime-directory "$dir" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do
    curl -s -m 1 -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.2
  done
  wrk -t2 -c64 -d"${seconds}s" --timeout 30s "http://127.0.0.1:$port/work?n=300000000" | grep -E "requests in|Socket errors" | tr -s ' ' | tr '\n' ';'
  echo
  "$primary" status --port "$port" --runtime-directory "$dir"
  echo "mode $mode: 'is unhealthy' lines: $(grep -c 'is unhealthy' "$log" || true)"
  kill -TERM "$pid"; wait "$pid" || true; pid=""
  rm -f "$log"
done
