#!/usr/bin/env python3
"""Build the triage benchmark mbox: every file of the corpus, twice.

The second copy of each message gets an extra `X-Copy: 1` header, so it has another
content hash (it is stored) but the same text (it joins its original's campaign).
Messages are written as in bench/stream-memory.sh: CRLF turned into LF, body lines that
start with "From " quoted (mboxrd).

Usage: bench/make-triage-mbox.py CORPUS_DIR OUT.mbox
"""
import os
import sys


def messages(root):
    for d, dirs, files in os.walk(root):
        dirs.sort()  # a fixed order, whatever the file system lists
        for f in sorted(files):
            with open(os.path.join(d, f), "rb") as h:
                yield h.read().replace(b"\r\n", b"\n")


def main():
    src, out = sys.argv[1], sys.argv[2]
    n = 0
    with open(out, "wb") as w:
        for copy in (0, 1):
            for m in messages(src):
                body = b"\n".join(
                    b">" + l if l.startswith(b"From ") else l for l in m.split(b"\n")
                )
                head = b"X-Copy: 1\n" if copy else b""
                w.write(b"From sender@example.com Thu Jan  1 00:00:00 1970\n" + head + body + b"\n\n")
                n += 1
    print(f"{out}: {n} messages, {os.path.getsize(out) / 1e6:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
