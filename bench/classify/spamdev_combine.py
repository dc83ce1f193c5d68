#!/usr/bin/python3
"""Scores of the spam development splits, alone or averaged in logit space.

Usage: spamdev_combine.py DIR[:WEIGHT] ...

Each DIR holds the per-split scores (path<TAB>score<TAB>label) that
`SPAMDEV_DUMP=DIR go run ./internal/ml/cmd/train-defaults -spam-dev` writes
(pam-A.scores, pam-B.scores, pam-C0..3.scores), that
`sklearn_spamdev.py LISTS DIR` or `bogofilter_spamdev.py LISTS DIR` write
(A.scores, B.scores, C.scores). With several DIRs the scores of a message
are averaged in logit space, weighted. Prints per split the AUC and the ham
at or above the spam at 99, 98 and 95% recall, and their sums."""
import glob
import math
import sys


def load(d, split):
    files = sorted(glob.glob(f"{d}/pam-{split}*.scores")) or [f"{d}/{split}.scores"]
    r = {}
    for f in files:
        for line in open(f):
            p, s, y = line.rstrip("\n").split("\t")
            r[p] = (float(s), y in ("true", "True"))
    return r


def logit(p):
    p = min(max(p, 1e-7), 1 - 1e-7)
    return math.log(p / (1 - p))


def auc(s, l):
    pairs = sorted(zip(s, l))
    n, i, rank_sum = len(pairs), 0, 0.0
    while i < n:
        j = i
        while j < n and pairs[j][0] == pairs[i][0]:
            j += 1
        rank_sum += (i + j + 1) / 2 * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    pos = sum(l)
    neg = len(l) - pos
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def ham_at(s, l, recall):
    spam = sorted(x for x, y in zip(s, l) if y)
    cut = spam[int(len(spam) * (1 - recall) + 1e-9)]
    return sum(1 for x, y in zip(s, l) if not y and x >= cut)


def main():
    total = [0, 0, 0]
    out = []
    for split in "ABC":
        parts = []
        for a in sys.argv[1:]:
            d, _, w = a.partition(":")
            parts.append((load(d, split), float(w or 1)))
        keys = sorted(parts[0][0])
        wsum = sum(w for _, w in parts)
        s = [sum(w * logit(P[k][0]) for P, w in parts) / wsum for k in keys]
        l = [parts[0][0][k][1] for k in keys]
        f = [ham_at(s, l, r) for r in (0.99, 0.98, 0.95)]
        total = [a + b for a, b in zip(total, f)]
        out.append(f"{split} AUC {auc(s, l):.4f} {f[0]:3d} {f[1]:3d} {f[2]:3d}")
    print(" | ".join(out), " | sum", total)


if __name__ == "__main__":
    main()
