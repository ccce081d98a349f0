#!/usr/bin/env bash
# Compare phishguard with the filters people use today, on the same mail, on one core:
#   (a) phishguard scan, (b) parse-only (mail-parser alone over the same files),
#   (c) Rspamd (Debian's rspamd, one normal worker, network checks off, fed by rspamc),
#   (d) SpamAssassin (Debian's spamd, one child, -L, fed by spamc).
# The sample is fixed (seeded): N phishing_pot phish and N ham from ../shared/corpus.
# Throughput is messages per CPU-second of the process doing the work (phishguard and
# parse-only: the whole process, file reading included; Rspamd: its normal worker;
# SpamAssassin: its spamd child), every one pinned to core 0.
# Usage: bench/compare-peers.sh [N]   (default 1000; needs root to install the peers)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${SHARED:-$ROOT/../shared}
N=${1:-1000}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d /tmp/phishguard-compare.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

need=()
command -v rspamd >/dev/null || need+=(rspamd)
command -v spamd >/dev/null || need+=(spamassassin)
command -v spamc >/dev/null || need+=(spamc)
command -v bc >/dev/null || need+=(bc)
if ((${#need[@]})); then
  echo "== installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# a package's post-install may have started its own daemon: stop it (ports, CPU)
pkill -x rspamd 2>/dev/null || true
pkill -f '^/usr/sbin/spamd' 2>/dev/null || true

echo "== building phishguard (release) and the parse-only baseline"
cargo build --release -q -p phishguard-cli
cargo build --release -q -p phishguard --example parse_only
python3 bench/make-sample.py "$WORK/sample" "$N"
mapfile -t FILES < <(find "$WORK/sample" -type f | sort)
M=${#FILES[@]}
TCK=$(getconf CLK_TCK)

# CPU seconds (user+system) of a command and its children
cpu_of_command() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.3f}")
PY
}
# CPU seconds used so far by a running process
cpu_of_pid() { awk -v t="$TCK" '{printf "%.3f\n", ($14 + $15) / t}' "/proc/$1/stat"; }

declare -A SECS
echo "== (a) phishguard scan"
SECS[phishguard]=$(cpu_of_command taskset -c 0 "$TARGET/release/phishguard" scan --json "$WORK/sample")
echo "== (b) parse-only"
SECS[parse_only]=$(cpu_of_command taskset -c 0 "$TARGET/release/examples/parse_only" "$WORK/sample")

echo "== (c) Rspamd"
mkdir -p "$WORK/rspamd"/{db,run,log}
chown -R _rspamd:_rspamd "$WORK/rspamd"
python3 "$SHARED/reference/rspamd-offline/dns_stub.py" 5353 &
PIDS+=($!)
taskset -c 0 rspamd -f -u _rspamd -g _rspamd -c /etc/rspamd/rspamd.conf \
  --var LOCAL_CONFDIR="$SHARED/reference/rspamd-offline" \
  --var DBDIR="$WORK/rspamd/db" --var RUNDIR="$WORK/rspamd/run" --var LOGDIR="$WORK/rspamd/log" \
  >"$WORK/rspamd/stdout" 2>&1 &
PIDS+=($!)
RSPAMD_MAIN=$!
for _ in $(seq 1 180); do
  grep -q "hyperscan database.*has been loaded\|hs_helper.*loaded" "$WORK/rspamd/log/rspamd.log" 2>/dev/null && break
  sleep 1
done
WORKER=$(pgrep -f "rspamd: normal process" | head -n 1 || true)
if [ -z "$WORKER" ]; then
  echo "rspamd did not start:"; tail -20 "$WORK/rspamd/log/rspamd.log" "$WORK/rspamd/stdout" 2>/dev/null
  exit 1
fi
rspamc -h 127.0.0.1:11333 "${FILES[0]}" >/dev/null 2>&1 || true   # warm: first scan loads maps
before=$(cpu_of_pid "$WORKER")
taskset -c 1 rspamc -h 127.0.0.1:11333 -n 1 "${FILES[@]}" >"$WORK/rspamd/results" 2>&1 || true
after=$(cpu_of_pid "$WORKER")
SECS[rspamd]=$(echo "$after - $before" | bc -l)
scanned=$(grep -c "^Action:" "$WORK/rspamd/results" || true)
echo "rspamd scanned $scanned of $M"
kill "$RSPAMD_MAIN" 2>/dev/null || true

echo "== (d) SpamAssassin"
taskset -c 0 spamd -m 1 --min-children=1 --max-children=1 -L -i 127.0.0.1 -p 7830 \
  --max-conn-per-child=1000000 -u debian-spamd --nouser-config --pidfile "$WORK/spamd.pid" -s stderr 2>"$WORK/spamd.log" &
PIDS+=($!)
SPAMD=$!
for _ in $(seq 1 120); do
  spamc -p 7830 -c < "${FILES[0]}" >/dev/null 2>&1 && break
  sleep 1
done
CHILD=$(pgrep -P "$SPAMD" | head -n 1 || true)
if [ -z "$CHILD" ]; then echo "spamd did not start:"; tail -20 "$WORK/spamd.log"; exit 1; fi
before=$(cpu_of_pid "$CHILD")
ok=0
for f in "${FILES[@]}"; do
  taskset -c 1 spamc -p 7830 -c < "$f" >/dev/null 2>&1 && ok=$((ok + 1)) || ok=$((ok + 1))
done
after=$(cpu_of_pid "$CHILD")
SECS[spamassassin]=$(echo "$after - $before" | bc -l)
kill "$SPAMD" 2>/dev/null || true

echo
echo "Sample: $M messages ($N phishing_pot phish + $N ham, seeded), one core each"
printf "%-14s %10s %12s %14s\n" tool cpu_s msgs_per_s phishguard_is
pg=$(echo "$M / ${SECS[phishguard]}" | bc -l)
for t in phishguard parse_only rspamd spamassassin; do
  rate=$(echo "$M / ${SECS[$t]}" | bc -l)
  printf "%-14s %10.2f %12.0f %13.2fx\n" "$t" "${SECS[$t]}" "$rate" "$(echo "$pg / $rate" | bc -l)"
done
