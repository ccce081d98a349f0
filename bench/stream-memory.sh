#!/usr/bin/env bash
# Streaming check: build an mbox of about SIZE_MB (default 2048) from the corpus and scan
# it with --stats; peak memory must stay flat (the mbox is read message by message).
# Usage: bench/stream-memory.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-2048}
WORK=$(mktemp -d /tmp/phishguard-mbox.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cargo build --release -q -p phishguard-cli
python3 bench/make-sample.py "$WORK/sample" 1000
python3 - "$WORK/sample" "$WORK/big.mbox" "$SIZE_MB" <<'PY'
import os, sys
src, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3]) << 20
msgs = []
for d, _, files in os.walk(src):
    for f in sorted(files):
        with open(os.path.join(d, f), "rb") as h:
            msgs.append(h.read().replace(b"\r\n", b"\n"))
written = 0
with open(out, "wb") as w:
    while written < size:
        for m in msgs:
            # mboxrd: quote body lines that start with "From "
            body = b"\n".join(b">" + l if l.startswith(b"From ") else l for l in m.split(b"\n"))
            chunk = b"From sender@example.com Thu Jan  1 00:00:00 1970\n" + body + b"\n\n"
            w.write(chunk)
            written += len(chunk)
            if written >= size:
                break
print(f"mbox: {written / 1e6:.0f} MB", file=sys.stderr)
PY
"${CARGO_TARGET_DIR:-target}/release/phishguard" scan --json --stats "$WORK/big.mbox" > /dev/null || true
