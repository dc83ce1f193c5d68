#!/usr/bin/python3
"""scikit-learn TF-IDF + logistic regression (the spam baseline of
sklearn_baseline.py) on the three spam development splits of the training
part that `go run ./internal/ml/cmd/train-defaults -spam-dev -spam-dev-lists DIR`
writes; prints, per split, the AUC and the ham at/above the spam at 99, 98
and 95% recall, as -spam-dev does for PAM. Usage: sklearn_spamdev.py DIR [OUT]
With OUT, each split's scores go to OUT/A.scores, B.scores, C.scores
(path<TAB>score<TAB>label, as SPAMDEV_DUMP writes PAM's pam-A.scores ...)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sklearn_baseline as sb
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_union
from sklearn.metrics import roc_auc_score
def rl(p):
    r=[l.rstrip('\n').split('\t') for l in open(p) if l.strip()]
    return [x[0] for x in r],[x[1]=='spam' for x in r]
cache={}
def T(p):
    if p not in cache: cache[p]=sb.text_of(p)
    return cache[p]
def run(fp,fl,dp,dl):
    vec = make_union(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200000),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True, max_features=200000))
    A=vec.fit_transform([T(p) for p in fp]); B=vec.transform([T(p) for p in dp])
    clf=LogisticRegression(C=10,max_iter=2000).fit(A,fl)
    return list(clf.predict_proba(B)[:,1])
def rep(name,s,l,P):
    if len(sys.argv)>2:
        with open(os.path.join(sys.argv[2],name+'.scores'),'w') as f:
            f.writelines(f"{p}\t{x}\t{'true' if y else 'false'}\n" for p,x,y in zip(P,s,l))
    spam=sorted(x for x,y in zip(s,l) if y); ham=[x for x,y in zip(s,l) if not y]
    f=lambda r: sum(h>=spam[int(len(spam)*(1-r)+1e-9)] for h in ham)
    print(f"  {name} AUC {roc_auc_score(l,s):.4f} 99% {f(0.99)} 98% {f(0.98)} 95% {f(0.95)}", flush=True)
d=sys.argv[1]
fp,fl=rl(d+'/fit.tsv'); dp,dl=rl(d+'/dev.tsv'); rep('A',run(fp,fl,dp,dl),dl,dp)
fp,fl=rl(d+'/fitB.tsv'); dp,dl=rl(d+'/devB.tsv'); rep('B',run(fp,fl,dp,dl),dl,dp)
ap,al=rl(d+'/fit.tsv'); bp,bl=rl(d+'/dev.tsv'); ap+=bp; al+=bl
def fnv(s):
    h=2166136261
    for c in s.encode(): h^=c; h=(h*16777619)&0xffffffff
    return h
S=[];L=[];P=[]
for k in range(4):
    fit=[(p,l) for p,l in zip(ap,al) if fnv(os.path.basename(p))%4!=k]
    dev=[(p,l) for p,l in zip(ap,al) if fnv(os.path.basename(p))%4==k]
    S+=run([p for p,_ in fit],[l for _,l in fit],[p for p,_ in dev],[l for _,l in dev]); L+=[l for _,l in dev]; P+=[p for p,_ in dev]
rep('C',S,L,P)
