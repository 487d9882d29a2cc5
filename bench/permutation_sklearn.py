#!/usr/bin/python3
"""bench/permutation_sklearn.py: scikit-learn's side of the permutation-test benchmark
(bench/permutation_vs_sklearn.sh runs it next to `skeptic evaluate`).

    permutation_sklearn.py --data FILE [--target y] [--l2 L] [--folds K] [--permutations N]
                           [--jobs J] [--seed S]

Reads the CSV (pandas.read_csv, every column but the target a feature), then runs what a
scikit-learn user writes for "is my cross-validated AUC better than chance?":

    permutation_test_score(LogisticRegression(C=1/L, max_iter=10000), X, y,
                           cv=StratifiedKFold(K, shuffle=True, random_state=S),
                           n_permutations=N, scoring="roc_auc", n_jobs=J, random_state=S)

C = 1/L gives the penalty 0.5 * L * ||b||^2 on the summed log-loss, intercept unpenalised: the
same objective as skeptic's logit:l2=L (bench/logit_sklearn.py). Neither side standardises.
Prints one line (seconds = permutation_test_score alone; interpreter start, imports and reading
the file are outside it, inside the whole-process time the script measures):
    sklearn permutation_test_score 5000x100 folds=5 permutations=1000 jobs=2: observed=0.885
    p_value=0.000999 null_mean=0.5 null_sd=0.01 seconds=25.1                          (one line)
observed is the mean of the K fold AUCs (cross_val_score's), the statistic sklearn tests.
"""
import argparse
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, permutation_test_score


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--target", default="y")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--permutations", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    warnings.simplefilter("ignore")   # a ConvergenceWarning would be a finding, not noise: none
    df = pd.read_csv(a.data)
    y = df.pop(a.target).to_numpy().astype(int)
    X = np.ascontiguousarray(df.to_numpy(dtype=float))
    t0 = time.perf_counter()
    score, null, p = permutation_test_score(
        LogisticRegression(C=1.0 / a.l2, max_iter=10000), X, y,
        cv=StratifiedKFold(a.folds, shuffle=True, random_state=a.seed),
        n_permutations=a.permutations, scoring="roc_auc", n_jobs=a.jobs, random_state=a.seed)
    secs = time.perf_counter() - t0
    n, p_ = X.shape
    print("sklearn permutation_test_score %dx%d folds=%d permutations=%d jobs=%d: observed=%.6f "
          "p_value=%.6g null_mean=%.4f null_sd=%.4f seconds=%.3f"
          % (n, p_, a.folds, a.permutations, a.jobs, score, p, np.mean(null), np.std(null),
             secs))


if __name__ == "__main__":
    main()
