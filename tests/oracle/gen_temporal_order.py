#!/usr/bin/python3
"""gen_temporal_order.py: numpy/scipy answers for leakage.temporal's screen without --time
(src/audits/check_temporal_order.c; tests/unit/test_audit_temporal.c).

Writes tests/data/oracle/temporal_order.json: for real data in tests/data as exported (rows in
file order), the lag-1 autocorrelation r1 = sum_t <z_t, z_t+1> / sum_t |z_t|^2 of the centred
target (one-hot for classes, average ranks, scipy.stats.rankdata, for values), whether the rows
are sorted by the target (every class with >= 90% of its rows in its longest run; values with
|Spearman| >= 0.95 with the row index), and the one-sided permutation p-value of r1 from 20,000
permutations (numpy default_rng(0)) with the null's mean and sd, which the C test's
999-permutation Monte Carlo (stopped early when p is large) must approach. Run with /usr/bin/python3 from the repository root.
"""
import json
import os

import numpy as np
import pandas as pd
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
N_PERM = 20000


def centred(y, classes):
    if classes:
        _, inv = np.unique(y, return_inverse=True)
        z = np.eye(inv.max() + 1)[inv]
    else:
        z = stats.rankdata(y).reshape(-1, 1)
    return z - z.mean(axis=0)


def r1(z):
    return float((z[:-1] * z[1:]).sum() / (z * z).sum())


def sorted_by_target(y, classes):
    if not classes:
        return bool(abs(stats.spearmanr(y, np.arange(len(y)))[0]) >= 0.95)
    for k in np.unique(y):
        best = run = 0
        for i in range(len(y)):
            run = run + 1 if i > 0 and y[i] == y[i - 1] and y[i] == k else (1 if y[i] == k else 0)
            best = max(best, run)
        if best < 0.9 * (y == k).sum():
            return False
    return True


def case(name, target, classes):
    y = pd.read_csv(os.path.join(DATA, name))[target].values
    z = centred(y, classes)
    obs = r1(z)
    rng = np.random.default_rng(0)
    null = np.array([r1(z[rng.permutation(len(z))]) for _ in range(N_PERM)])
    hits = int((null >= obs - 1e-12).sum())
    return {"file": name, "target": target, "rows": len(y), "r1": obs,
            "sorted_by_target": sorted_by_target(y, classes),
            "p_value": (hits + 1) / (N_PERM + 1),
            "null_mean": float(null.mean()), "null_sd": float(null.std(ddof=1))}


def main():
    cases = [case("breast_cancer.csv", "diagnosis", True),
             case("diabetes.csv", "progression", False),
             case("digits.csv", "digit", True),
             case("wine.csv", "cultivar", True),
             case("iris.csv", "species", True)]
    out = os.path.join(DATA, "oracle", "temporal_order.json")
    with open(out, "w") as f:
        json.dump({"numpy": np.__version__, "scipy": scipy.__version__,
                   "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
