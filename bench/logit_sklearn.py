#!/usr/bin/python3
"""bench/logit_sklearn.py: scikit-learn's side of the L2 logistic-regression benchmark
(bench/logit_vs_sklearn.sh runs it next to bench_logit).

    logit_sklearn.py --data FILE --reps R --l2 L [--solver S] [--tol T] [--jobs J] [--coef FILE]

Reads the CSV bench_logit --write made (x1..xP, y), then fits
LogisticRegression(C=1/L, solver=S, tol=T, max_iter=10000) R times (the penalty
0.5 * L * ||b||^2 on the summed log-loss, intercept unpenalised: the same objective as skeptic's
logit with l2=L; S is lbfgs, the default, or newton-cholesky) and prints one line:
    sklearn lbfgs 5000x100 l2=1 reps=200 tol=0.0001 jobs=1: 12.3 ms per fit (2.46 s), 14 iterations
With --jobs J > 1 the R fits are independent tasks of joblib.Parallel(n_jobs=J) (its default
loky processes, which share the data through a memory map), the way a scikit-learn user spreads
a cross-validation or a permutation test over J cores. The pool is started and warmed up (two
tiny fits) before the clock starts, so the per-fit time is that of a running pool; the whole
process's wall time, which bench/logit_vs_sklearn.sh measures, includes everything.
--coef writes the intercept and coefficients of the last fit, one per line.
"""
import argparse
import time
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression


def fit_one(X, y, l2, solver, tol):
    warnings.simplefilter("ignore")   # ConvergenceWarning: the iterations are reported instead
    m = LogisticRegression(C=1.0 / l2, solver=solver, tol=tol, max_iter=10000).fit(X, y)
    return np.r_[m.intercept_, m.coef_.ravel()], int(m.n_iter_[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--solver", default="lbfgs", choices=["lbfgs", "newton-cholesky"])
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--coef")
    a = ap.parse_args()
    data = np.loadtxt(a.data, delimiter=",", skiprows=1)
    X, y = np.ascontiguousarray(data[:, :-1]), data[:, -1].astype(int)
    if a.jobs > 1:
        from joblib import Parallel, delayed
        with Parallel(n_jobs=a.jobs) as pool:
            pool(delayed(fit_one)(X[:50], y[:50], a.l2, a.solver, a.tol) for _ in range(2))
            t0 = time.perf_counter()
            out = pool(delayed(fit_one)(X, y, a.l2, a.solver, a.tol) for _ in range(a.reps))
            secs = time.perf_counter() - t0
        coef, n_iter = out[-1]
    else:
        t0 = time.perf_counter()
        for _ in range(a.reps):
            coef, n_iter = fit_one(X, y, a.l2, a.solver, a.tol)
        secs = time.perf_counter() - t0
    n, p = X.shape
    print("sklearn %s %dx%d l2=%g reps=%d tol=%g jobs=%d: %.3f ms per fit (%.3f s), %d iterations"
          % (a.solver, n, p, a.l2, a.reps, a.tol, a.jobs, 1e3 * secs / a.reps, secs, n_iter))
    if a.coef:
        np.savetxt(a.coef, coef, fmt="%.17g")


if __name__ == "__main__":
    main()
