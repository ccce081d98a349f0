#!/usr/bin/env python3
"""Fit check weights by logistic regression on the training split.

    phishguard eval --labels L --archive A --features feats.jsonl
    tools/fit-weights.py feats.jsonl

Uses only the `train` split (see `eval --split`); reports rates on both splits so the
held-out numbers are honest. Each weight stays tied to its named check; the regulariser
pulls every weight towards the hand-set one in weights.toml, so a check with little data
keeps its reasoned weight. Prints suggested weights on the same points scale; a person
decides what goes into crates/phishguard/data/weights.toml.
"""
import json, math, sys, tomllib, pathlib

feats = [json.loads(l) for l in open(sys.argv[1])]
root = pathlib.Path(__file__).resolve().parent.parent
weights = tomllib.loads((root / "crates/phishguard/data/weights.toml").read_text())
prior = weights["weights"]
thr = weights["thresholds"]
SCALE = 0.6  # log-odds per point

rows = []
for r in feats:
    lab = r["label"]
    y = 1 if lab == "phish" else 0 if lab.startswith("ham") else None
    if y is not None:
        # only weighted checks (e.g. not the weight-0 `attached_message` note)
        rows.append((set(c for c in r["checks"] if c in prior), y, r["split"]))
ids = sorted(prior)
w = {i: prior[i] * SCALE for i in ids}
b = 0.0
lam, lr = 0.02, 0.5
train = [r for r in rows if r[2] == "train"]
for _ in range(400):
    g = {i: 0.0 for i in ids}
    gb = 0.0
    for f, y, _ in train:
        z = b + sum(w[i] for i in f)
        d = 1 / (1 + math.exp(-max(-30, min(30, z)))) - y
        gb += d
        for i in f:
            g[i] += d
    n = len(train)
    b -= lr * gb / n
    for i in ids:
        w[i] -= lr * (g[i] / n + lam * (w[i] - prior[i] * SCALE))

print("# suggested weights (points):")
for i in sorted(ids, key=lambda i: -w[i]):
    print(f"{i} = {w[i] / SCALE:.1f}   # now {prior[i]}")

def rates(split, t, ws):
    rs = [r for r in rows if r[2] == split]
    ph = [r for r in rs if r[1] == 1]
    hm = [r for r in rs if r[1] == 0]
    s = lambda f: sum(ws[i] for i in f)
    det = sum(1 for r in ph if s(r[0]) >= t) / max(1, len(ph))
    fp = sum(1 for r in hm if s(r[0]) >= t) / max(1, len(hm))
    return f"{split}: detection {det*100:.1f}% fpr {fp*100:.2f}%"

fitted = {i: w[i] / SCALE for i in ids}
for t in [thr["suspicious"], thr["phishing"]]:
    print(f"# threshold {t}: now   ", rates("train", t, prior), "|", rates("test", t, prior))
    print(f"# threshold {t}: fitted", rates("train", t, fitted), "|", rates("test", t, fitted))
