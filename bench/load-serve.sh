#!/usr/bin/env bash
# Bounded load test of `phishguard serve` on loopback (not run by CI): builds the release
# binary, starts the server on a free port, POSTs a mail to /v1/analyze with wrk for
# DURATION over CONNECTIONS connections, and prints requests/s, p50/p99 latency, the
# verdict counts from /metrics and the server's peak RSS.
#
#   bash bench/load-serve.sh                    # 20 s, 2 connections, the fake Prime mail
#   DURATION=60s CONNECTIONS=8 BODY=examples/genuine-amazon-order.eml bash bench/load-serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-2}
THREADS=${THREADS:-2}
BODY=${BODY:-examples/fake-prime-suspension.eml}

if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk
fi

cargo build --release -q -p phishguard-cli
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/phishguard"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
URL="http://127.0.0.1:$PORT"
"$BIN" serve --listen "127.0.0.1:$PORT" 2>/dev/null &
SERVER_PID=$!
SCRIPT=$(mktemp --suffix=.lua)
stop() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  rm -f "$SCRIPT"
}
trap stop EXIT

for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  sleep 0.1
done

cat >"$SCRIPT" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "message/rfc822"
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.body = f:read("*a")
f:close()

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("requests:     %d in %.1f s (%d errors, %d non-2xx)\n",
    summary.requests, secs,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
  io.write(string.format("requests/s:   %.1f\n", summary.requests / secs))
  io.write(string.format("latency p50:  %.2f ms\n", latency:percentile(50) / 1000))
  io.write(string.format("latency p99:  %.2f ms\n", latency:percentile(99) / 1000))
  io.write(string.format("latency max:  %.2f ms\n", latency.max / 1000))
end
LUA

echo "== wrk: $DURATION, $CONNECTIONS connections, $THREADS threads, POST $BODY ($(wc -c <"$BODY") bytes)"
BODY_FILE="$ROOT/$BODY" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$SCRIPT" "$URL/v1/analyze" |
  sed -n '/^requests:/,$p'
echo "== server"
grep -E '^(VmHWM|VmRSS)' "/proc/$SERVER_PID/status" | sed 's/VmHWM/peak RSS/; s/VmRSS/RSS now/'
if command -v curl >/dev/null 2>&1; then
  curl -fsS "$URL/metrics" | grep -E '^phishguard_(verdicts_total|http_requests_total\{path="/v1/analyze")'
fi
