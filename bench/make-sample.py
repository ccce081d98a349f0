#!/usr/bin/env python3
"""Build the fixed comparison sample: N phishing_pot phish and N ham (seeded), extracted
from the corpus archive into OUT/phish and OUT/ham. Usage: make-sample.py OUT [N] [SEED]"""
import random, sys, tarfile, os

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261124
here = os.path.dirname(os.path.abspath(__file__))
corpus = os.environ.get("CORPUS", os.path.join(here, "..", "..", "shared", "corpus"))
phish, ham = [], []
with open(os.path.join(corpus, "labels.tsv"), encoding="utf-8") as f:
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 3:
            continue
        path, source, label = cols[0], cols[1], cols[2]
        if label == "phish" and source == "phishing_pot":
            phish.append(path)
        elif label == "ham":
            ham.append(path)
rng = random.Random(seed)
phish.sort(); ham.sort()
want = {p: "phish" for p in rng.sample(phish, min(n, len(phish)))}
want.update({p: "ham" for p in rng.sample(ham, min(n, len(ham)))})
for d in ("phish", "ham"):
    os.makedirs(os.path.join(out, d), exist_ok=True)
got = 0
with tarfile.open(os.path.join(corpus, "dev-mail.tar.xz"), "r|xz") as tar:
    for m in tar:
        kind = want.get(m.name)
        if kind and m.isfile():
            data = tar.extractfile(m).read()
            name = m.name.replace("/", "_")
            if not name.endswith(".eml"):
                name += ".eml"
            with open(os.path.join(out, kind, name), "wb") as w:
                w.write(data)
            got += 1
print(f"sample: {got} messages in {out} (seed {seed})", file=sys.stderr)
