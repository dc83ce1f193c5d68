#!/usr/bin/python3
"""scikit-learn baseline for bench/actions (run with /usr/bin/python3).

TF-IDF over word 1-2-grams + logistic regression (scikit-learn defaults),
trained and scored on the folds PAM's evaluation chose.

Usage: sklearn_baseline.py DATA FOLDS OUT
  DATA   the email-intent TSV (label<TAB>sentence)
  FOLDS  one line per (repeat, fold): "repeat<TAB>fold<TAB>i,j,k,..." listing
         the 0-based row numbers of DATA held out in that fold
  OUT    written: "repeat<TAB>fold<TAB>row<TAB>probability" for each held-out row
"""
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


def main():
    data, folds, out = sys.argv[1:4]
    texts, labels = [], []
    for line in open(data, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            continue
        lab, _, text = line.partition("\t")
        texts.append(text)
        labels.append(1 if lab == "Yes" else 0)
    with open(out, "w") as w:
        for line in open(folds):
            rep, fold, rows = line.rstrip("\n").split("\t")
            test = [int(x) for x in rows.split(",")]
            held = set(test)
            train = [i for i in range(len(texts)) if i not in held]
            vec = TfidfVectorizer(ngram_range=(1, 2))
            X = vec.fit_transform([texts[i] for i in train])
            clf = LogisticRegression(max_iter=1000)
            clf.fit(X, [labels[i] for i in train])
            p = clf.predict_proba(vec.transform([texts[i] for i in test]))[:, 1]
            for i, s in zip(test, p):
                w.write(f"{rep}\t{fold}\t{i}\t{s:.6f}\n")


if __name__ == "__main__":
    main()
