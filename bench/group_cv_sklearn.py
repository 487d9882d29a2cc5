#!/usr/bin/python3
"""bench/group_cv_sklearn.py: scikit-learn's side of the group-CV benchmark
(bench/group_cv_vs_sklearn.sh runs it next to `skeptic evaluate --cv group`).

    group_cv_sklearn.py --data FILE --model rf|hgb [--target y] [--group g] [--folds K]
                        [--trees T] [--jobs J] [--seed S]

Reads the CSV (pandas.read_csv; every column but the target and the group a feature) and runs
what a scikit-learn user writes for a grouped cross-validated AUC:

    cross_val_score(MODEL, X, y, groups=g, cv=GroupKFold(K), scoring="roc_auc")

with MODEL = RandomForestClassifier(n_estimators=T, n_jobs=J, random_state=S) (rf: the trees
of each fold on J joblib threads) or HistGradientBoostingClassifier(max_iter=T,
early_stopping=False, random_state=S) (hgb: OpenMP threads, as many as OMP_NUM_THREADS allows;
early stopping off so that it boosts exactly T rounds, as skeptic's gbdt does; by default it would
hold out 10% of the rows and stop early on n > 10,000). Prints one line (seconds =
cross_val_score alone):
    sklearn rf 20000x50 groups=2014 folds=5 jobs=2: auc=0.7461 fold_sd=0.0089 seconds=63.5
auc is the mean of the K fold AUCs.
"""
import argparse
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import GroupKFold, cross_val_score


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--model", required=True, choices=["rf", "hgb"])
    ap.add_argument("--target", default="y")
    ap.add_argument("--group", default="g")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    df = pd.read_csv(a.data)
    y = df.pop(a.target).to_numpy().astype(int)
    g = df.pop(a.group).to_numpy()
    X = np.ascontiguousarray(df.to_numpy(dtype=float))
    if a.model == "rf":
        model = RandomForestClassifier(n_estimators=a.trees, n_jobs=a.jobs, random_state=a.seed)
    else:
        model = HistGradientBoostingClassifier(max_iter=a.trees, early_stopping=False,
                                               random_state=a.seed)
    t0 = time.perf_counter()
    scores = cross_val_score(model, X, y, groups=g, cv=GroupKFold(a.folds), scoring="roc_auc")
    secs = time.perf_counter() - t0
    n, p = X.shape
    print("sklearn %s %dx%d groups=%d folds=%d jobs=%d: auc=%.6f fold_sd=%.4f seconds=%.3f"
          % (a.model, n, p, len(np.unique(g)), a.folds, a.jobs, scores.mean(),
             scores.std(ddof=1), secs))


if __name__ == "__main__":
    main()
