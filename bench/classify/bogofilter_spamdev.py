#!/usr/bin/python3
"""bogofilter on the spam development splits (A, B and the 4-fold C) of the
lists `go run ./internal/ml/cmd/train-defaults -spam-dev -spam-dev-lists
LISTS` writes. Usage: bogofilter_spamdev.py LISTS OUT; writes OUT/A.scores,
B.scores, C.scores (path<TAB>spamicity<TAB>label) for spamdev_combine.py.
Needs Debian's bogofilter."""
import os
import subprocess
import sys
import tempfile


def read_list(p):
    rows = [l.rstrip("\n").split("\t") for l in open(p) if l.strip()]
    return [r[0] for r in rows], [r[1] == "spam" for r in rows]


def fnv(s):
    h = 2166136261
    for c in s.encode():
        h ^= c
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def run(fit_p, fit_l, dev_p, dev_l, out):
    with tempfile.TemporaryDirectory() as d:
        spam = "\n".join(p for p, l in zip(fit_p, fit_l) if l).encode()
        ham = "\n".join(p for p, l in zip(fit_p, fit_l) if not l).encode()
        subprocess.run(["bogofilter", "-d", d, "-s", "-b"], input=spam, check=True)
        subprocess.run(["bogofilter", "-d", d, "-n", "-b"], input=ham, check=True)
        res = subprocess.run(["bogofilter", "-d", d, "-v", "-B"] + dev_p, capture_output=True)
    score = {}
    for line in res.stdout.decode("latin-1").splitlines():
        if "spamicity=" in line:
            path = line.split(" X-Bogosity:")[0]
            score[path] = float(line.split("spamicity=")[1].split(",")[0])
    for p, l in zip(dev_p, dev_l):
        out.write(f"{p}\t{score[p]}\t{'true' if l else 'false'}\n")


def main():
    lists, dump = sys.argv[1], sys.argv[2]
    fa, la = read_list(os.path.join(lists, "fit.tsv"))
    da, lda = read_list(os.path.join(lists, "dev.tsv"))
    with open(os.path.join(dump, "A.scores"), "w") as out:
        run(fa, la, da, lda, out)
    fb, lb = read_list(os.path.join(lists, "fitB.tsv"))
    db, ldb = read_list(os.path.join(lists, "devB.tsv"))
    with open(os.path.join(dump, "B.scores"), "w") as out:
        run(fb, lb, db, ldb, out)
    allp, alll = fa + da, la + lda
    with open(os.path.join(dump, "C.scores"), "w") as out:
        for k in range(4):
            fit = [(p, l) for p, l in zip(allp, alll) if fnv(os.path.basename(p)) % 4 != k]
            dev = [(p, l) for p, l in zip(allp, alll) if fnv(os.path.basename(p)) % 4 == k]
            run([p for p, _ in fit], [l for _, l in fit], [p for p, _ in dev], [l for _, l in dev], out)


if __name__ == "__main__":
    main()
