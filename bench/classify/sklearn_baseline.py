#!/usr/bin/python3
"""scikit-learn baselines for bench/classify (run with /usr/bin/python3).

spam:    TF-IDF (word 1-2 grams + char 3-5 grams over headers and body text)
         + logistic regression; reads TRAIN and TEST lists (path<TAB>label),
         writes path<TAB>score (probability of spam) for TEST.
folders: TF-IDF + LinearSVC; same lists with folder labels, writes
         path<TAB>predicted label.
"""
import email
import email.policy
import re
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_union
from sklearn.svm import LinearSVC

TAG = re.compile(r"<[^>]+>")


def text_of(path):
    raw = open(path, "rb").read()
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        heads = " ".join(f"{k}: {v}" for k, v in msg.items()
                         if k.lower() in ("from", "to", "cc", "subject", "list-id", "precedence", "x-mailer", "content-type"))
        parts = []
        for part in msg.walk():
            if part.get_content_maintype() == "text":
                try:
                    c = part.get_content()
                except Exception:
                    c = part.get_payload(decode=True) or b""
                    c = c.decode("latin-1", "replace")
                if part.get_content_subtype() == "html":
                    c = TAG.sub(" ", c)
                parts.append(c)
        return heads + "\n" + "\n".join(parts)[:20000]
    except Exception:
        return raw.decode("latin-1", "replace")[:20000]


def read_list(p):
    rows = [l.rstrip("\n").split("\t") for l in open(p) if l.strip()]
    return [r[0] for r in rows], [r[1] for r in rows]


def main():
    task, train, test, out = sys.argv[1:5]
    tp, tl = read_list(train)
    sp, _ = read_list(test)
    X = [text_of(p) for p in tp]
    Y = [text_of(p) for p in sp]
    vec = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200000),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True, max_features=200000),
    )
    A = vec.fit_transform(X)
    B = vec.transform(Y)
    with open(out, "w") as f:
        if task == "spam":
            clf = LogisticRegression(C=10, max_iter=2000)
            clf.fit(A, [l == "spam" for l in tl])
            for p, s in zip(sp, clf.predict_proba(B)[:, 1]):
                f.write(f"{p}\t{s:.9g}\n")
        else:
            if len(set(tl)) < 2:
                for p in sp:
                    f.write(f"{p}\t{tl[0]}\n")
                return
            clf = LinearSVC(C=1.0)
            clf.fit(A, tl)
            for p, l in zip(sp, clf.predict(B)):
                f.write(f"{p}\t{l}\n")


if __name__ == "__main__":
    main()
