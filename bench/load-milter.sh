#!/usr/bin/env bash
# Load run of `phishguard milter` through a real Postfix on loopback (not run by CI).
# Sends N real corpus mails (default 5000) over SMTP with C concurrent connections to a
# private Postfix instance whose smtpd uses the milter, waits until all are delivered,
# then reports: mails/s, p50/p99 milter time per mail (from the milter's log lines), and
# the milter's peak memory (VmHWM). Bounded: N mails, one pass, then everything stops.
# Usage: bash bench/load-milter.sh [N] [CONCURRENCY]   (as root, Debian 12)
# Mail comes from /tmp/corpus (unpacked from ../shared/corpus/dev-mail.tar.xz if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=tests/e2e/lib-postfix.sh
. tests/e2e/lib-postfix.sh
N=${1:-5000}
CONC=${2:-8}
PG_BIN=${PHISHGUARD_BIN:-$ROOT/target/release/phishguard}
[ -x "$PG_BIN" ] || cargo build --release -q -p phishguard-cli

CORPUS=${CORPUS:-/tmp/corpus}
if [ ! -d "$CORPUS" ]; then
  mkdir -p "$CORPUS"
  tar xJf "$ROOT/../shared/corpus/dev-mail.tar.xz" -C "$CORPUS"
fi

pg_install
trap pg_cleanup EXIT
trap 'exit 130' INT TERM
pg_setup
printf '[faults]\ntimeout_ms = 5000\n' >"$PG_TMP/bench.toml"
pg_start_milter "$PG_TMP/bench.toml"

# Mail list: phishing and ham mixed (fixed shuffle), at most 256 KB each, cycled up to N.
find "$CORPUS/phishing_pot" "$CORPUS/spamassassin" "$CORPUS/csdmc2010" -type f -size -256k 2>/dev/null |
  python3 -c 'import random, sys; l = sorted(sys.stdin.read().split("\n")[:-1]); random.Random(7).shuffle(l); print("\n".join(l))' >"$PG_TMP/files"
pg_log "$(wc -l <"$PG_TMP/files") corpus files; sending $N mails over $CONC connections"

cat >"$PG_TMP/load.py" <<'EOF'
import smtplib, sys, threading, time
port, n, conc, listfile = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
files = [l.strip() for l in open(listfile) if l.strip()]
mails = [open(f, "rb").read() for f in files[: min(len(files), n)]]
lock = threading.Lock()
next_i = [0]
codes = {}
def take():
    with lock:
        i = next_i[0]
        if i >= n:
            return None
        next_i[0] += 1
        return i
def worker():
    s = None
    while (i := take()) is not None:
        raw = b"X-Test-Id: L%d\r\n" % i + mails[i % len(mails)]
        for attempt in range(3):
            try:
                if s is None:
                    s = smtplib.SMTP("127.0.0.1", port, timeout=120)
                s.sendmail("load@example.org", ["user@pg-test.example"], raw)
                code = 250
                break
            except smtplib.SMTPResponseException as e:
                code = e.smtp_code
                break
            except Exception:
                code = 0
                s = None
        with lock:
            codes[code] = codes.get(code, 0) + 1
    if s is not None:
        try: s.quit()
        except Exception: pass
t = time.time()
ts = [threading.Thread(target=worker) for _ in range(conc)]
for x in ts: x.start()
for x in ts: x.join()
print("%.3f %s" % (time.time() - t, " ".join("%s:%d" % kv for kv in sorted(codes.items()))))
EOF

start=$(date +%s.%N)
read -r accept_secs codes < <(python3 "$PG_TMP/load.py" "$PG_SPORT" "$N" "$CONC" "$PG_TMP/files")
pg_wait_delivered "$N" 600 || pg_log "only $(pg_delivered) of $N delivered"
end=$(date +%s.%N)
hwm=$(awk '/VmHWM/ {print $2, $3}' "/proc/$PG_MILTER_PID/status")
rss=$(awk '/VmRSS/ {print $2, $3}' "/proc/$PG_MILTER_PID/status")
delivered=$(pg_delivered)
python3 - "$PG_MILTER_LOG" "$N" "$accept_secs" "$start" "$end" "$delivered" "$codes" "$hwm" "$rss" <<'EOF'
import json, sys
log, n, acc, start, end, delivered, codes, hwm, rss = sys.argv[1:]
ms, verdicts, faults = [], {}, {}
for line in open(log):
    d = json.loads(line)
    if "ms" not in d or d.get("skipped"):
        continue
    ms.append(d["ms"])
    verdicts[d["verdict"]] = verdicts.get(d["verdict"], 0) + 1
    if d.get("fault"):
        faults[d["fault"]] = faults.get(d["fault"], 0) + 1
ms.sort()
pct = lambda p: ms[min(len(ms) - 1, int(p / 100 * len(ms)))] if ms else float("nan")
total = float(end) - float(start)
print(f"mails sent:          {n} (SMTP replies {codes})")
print(f"delivered:           {delivered}")
print(f"accepted by smtpd:   {int(n) / float(acc):.1f} mails/s ({float(acc):.1f} s)")
print(f"end to end:          {int(delivered) / total:.1f} mails/s delivered ({total:.1f} s)")
print(f"milter time / mail:  p50 {pct(50):.2f} ms, p99 {pct(99):.2f} ms, max {ms[-1] if ms else 0:.2f} ms ({len(ms)} log lines)")
print(f"verdicts:            {verdicts}; faults: {faults or 'none'}")
print(f"milter peak memory:  VmHWM {hwm} (VmRSS now {rss})")
EOF
