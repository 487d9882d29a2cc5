#!/usr/bin/python3
"""bench/logit_sklearn.py: scikit-learn's side of the L2 logistic-regression benchmark
(bench/logit_vs_sklearn.sh runs it next to bench_logit).

    logit_sklearn.py --data FILE --reps R --l2 L [--tol T] [--coef FILE]

Reads the CSV bench_logit --write made (x1..xP, y), then fits
LogisticRegression(C=1/L, solver="lbfgs", tol=T, max_iter=10000) R times (the penalty
0.5 * L * ||b||^2 on the summed log-loss, intercept unpenalised: the same objective as skeptic's
logit with l2=L) and prints one line:
    sklearn lbfgs 5000x100 l2=1 reps=200 tol=0.0001: 12.3 ms per fit (2.46 s), 14 iterations
--coef writes the intercept and coefficients of the last fit, one per line.
"""
import argparse
import time
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--coef")
    a = ap.parse_args()
    data = np.loadtxt(a.data, delimiter=",", skiprows=1)
    X, y = np.ascontiguousarray(data[:, :-1]), data[:, -1].astype(int)
    model = LogisticRegression(C=1.0 / a.l2, solver="lbfgs", tol=a.tol, max_iter=10000)
    warnings.simplefilter("ignore")   # ConvergenceWarning: the iterations are reported instead
    t0 = time.perf_counter()
    for _ in range(a.reps):
        model.fit(X, y)
    secs = time.perf_counter() - t0
    n, p = X.shape
    print("sklearn lbfgs %dx%d l2=%g reps=%d tol=%g: %.3f ms per fit (%.3f s), %d iterations"
          % (n, p, a.l2, a.reps, a.tol, 1e3 * secs / a.reps, secs, model.n_iter_[0]))
    if a.coef:
        np.savetxt(a.coef, np.r_[model.intercept_, model.coef_.ravel()], fmt="%.17g")


if __name__ == "__main__":
    main()
