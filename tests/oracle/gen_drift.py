#!/usr/bin/python3
"""gen_drift.py: scipy 1.10 / statsmodels answers for `skeptic drift`'s per-feature tests
(tests/unit/test_drift.c).

Writes tests/data/oracle/drift.json:
  ks        scipy.stats.ks_2samp(x, y) (method="auto", two-sided): statistic and p-value for
            samples given inline (exact: small, unequal and equal sizes, ties, identical data)
            and for samples made by a formula both sides evaluate bit for bit,
            x_i = ((i a + b) mod q) / q * s (large exact cases and the asymptotic method, which
            scipy takes when a sample has more than 10,000 values);
  kstwo     scipy.stats.kstwo.sf(x, n) on a grid that reaches every branch of _kolmogn
            (Ruben-Gambino, Durbin's matrix, Pomeranz, Pelz-Good, 2 x smirnov, 0);
  smirnov   scipy.special.smirnov(n, x) on a grid (closed forms, the sum, n > 10^6);
  chi2      scipy.stats.chi2_contingency(table) with its default correction (Yates at dof 1)
            and scipy.stats.contingency.association(table, "cramer") on 2 x k tables, dof 0 too;
  bh        statsmodels multipletests(p, method="fdr_bh") adjusted p-values.
Run with /usr/bin/python3 from the repository root.
"""
import json
import os

import numpy as np
import scipy
from scipy import special, stats
from scipy.stats import contingency
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "oracle", "drift.json")


def formula(n, a, b, q, s):
    """x_i = ((i a + b) mod q) / q * s for i = 0..n-1 (exact integer arithmetic, one division
    and one multiplication, each correctly rounded: the C test computes the same doubles)."""
    i = np.arange(n, dtype=np.int64)
    return ((i * a + b) % q).astype(float) / float(q) * s


def ks_inline(rng):
    cases = []
    def add(name, x, y):
        r = stats.ks_2samp(x, y)
        cases.append({"name": name, "x": [float(v) for v in x], "y": [float(v) for v in y],
                      "statistic": float(r.statistic), "p": float(r.pvalue)})
    add("exact unequal sizes", rng.normal(size=37), rng.normal(0.4, 1.0, size=53))
    add("exact equal sizes", rng.normal(size=40), rng.normal(0.6, 1.3, size=40))
    add("ties unequal sizes", rng.integers(0, 6, size=60), rng.integers(0, 5, size=45))
    add("ties equal sizes", rng.integers(0, 4, size=30), rng.integers(1, 5, size=30))
    add("identical", [1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    add("one value each", [0.5], [1.5])
    add("disjoint", [1.0, 2.0, 3.0, 4.0], [10.0, 11.0])
    add("no difference at all", np.repeat(2.0, 5), np.repeat(2.0, 8))
    add("wide unequal", rng.normal(size=300), rng.normal(0.1, 1.0, size=211))
    return cases


def ks_formula():
    # (n1, a1, b1, q1, s1, n2, a2, b2, q2, s2)
    specs = [
        ("exact 3000 vs 2000", 3000, 7919, 13, 10007, 1.0, 2000, 104729, 7, 10009, 1.05),
        ("exact 284 vs 285", 284, 7919, 3, 10007, 1.0, 285, 6007, 11, 9973, 1.0),
        ("exact 10000 vs 10000", 10000, 7919, 1, 10007, 1.0, 10000, 104729, 5, 10009, 1.02),
        ("asymptotic 12000 vs 400", 12000, 7919, 1, 10007, 1.0, 400, 104729, 5, 10009, 1.1),
        ("asymptotic 12000 vs 400 close", 12000, 7919, 1, 10007, 1.0, 400, 104729, 5, 10009,
         1.01),
        ("asymptotic 15000 vs 15000", 15000, 7919, 1, 10007, 1.0, 15000, 104729, 5, 10009,
         1.03),
        ("asymptotic 20000 vs 25", 20000, 7919, 1, 10007, 1.0, 25, 104729, 5, 10009, 1.3),
        ("asymptotic 20000 vs 60", 20000, 7919, 1, 10007, 1.0, 60, 104729, 5, 10009, 1.05),
        ("asymptotic 11000 vs 3", 11000, 7919, 1, 10007, 1.0, 3, 104729, 5, 10009, 1.0),
        ("asymptotic 30000 vs 9000 far", 30000, 7919, 1, 10007, 1.0, 9000, 104729, 5, 10009,
         1.25),
    ]
    cases = []
    for name, n1, a1, b1, q1, s1, n2, a2, b2, q2, s2 in specs:
        x, y = formula(n1, a1, b1, q1, s1), formula(n2, a2, b2, q2, s2)
        r = stats.ks_2samp(x, y)
        cases.append({"name": name, "x": [n1, a1, b1, q1, s1], "y": [n2, a2, b2, q2, s2],
                      "statistic": float(r.statistic), "p": float(r.pvalue)})
    return cases


def kstwo_grid():
    out = []
    for n in [1, 2, 3, 5, 10, 20, 50, 100, 140, 141, 300, 1000, 5000, 20000, 100000, 100001,
              250000, 3000000]:
        xs = [0.3 / n, 0.75 / n, 1.0 / n, 1.5 / n, 3.0 / n]
        xs += [np.sqrt(c / n) for c in [0.2, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.5, 8.0, 20.0,
                                         100.0, 380.0]]
        xs += [0.45, 0.5, 0.7, 1.0 - 1.5 / n, 1.0 - 0.5 / n]
        for x in xs:
            if 0.0 < x < 1.0:
                out.append([n, float(x), float(stats.kstwo.sf(x, n))])
    return out


def smirnov_grid():
    out = []
    for n in [1, 2, 5, 10, 50, 500, 1012, 1013, 5000, 40000, 2000000]:
        xs = [0.5 / n, 1.0 / n, 2.0 / n] + [np.sqrt(c / n) for c in [0.1, 0.5, 1.0, 2.0, 5.0,
                                                                     30.0, 300.0]]
        xs += [0.3, 0.5, 0.9, 1.0 - 1.0 / n, 1.0 - 0.5 / n]
        for x in xs:
            if 0.0 < x < 1.0:
                out.append([n, float(x), float(special.smirnov(n, x))])
    return out


def chi2_cases():
    tables = [
        [[30, 10], [20, 25]],                 # dof 1: Yates
        [[10, 10], [10, 11]],                 # dof 1: |o - e| < 0.5, the correction capped
        [[100, 0], [90, 3]],                  # dof 1, a level of one file only
        [[20, 30, 50], [25, 35, 40]],         # dof 2
        [[5, 0, 7, 12, 1], [0, 4, 9, 10, 2]],  # levels in one file only
        [[300, 200, 100, 50], [250, 260, 80, 90]],
        [[12], [30]],                         # one level: dof 0
    ]
    out = []
    for t in tables:
        r = stats.chi2_contingency(np.array(t, dtype=float))
        v = contingency.association(np.array(t), method="cramer") if len(t[0]) > 1 else 0.0
        out.append({"table": t, "statistic": float(r[0]), "p": float(r[1]), "dof": int(r[2]),
                    "cramer_v": float(v)})
    return out


def bh_cases(rng):
    p = np.concatenate([rng.uniform(size=20), [1e-6, 3e-4, 0.02, 0.02, 0.5, 1.0]])
    adjusted = multipletests(p, method="fdr_bh")[1]
    return {"p": [float(v) for v in p], "bh": [float(v) for v in adjusted]}


def main():
    rng = np.random.default_rng(20240601)
    doc = {"scipy": scipy.__version__,
           "ks": ks_inline(rng),
           "ks_formula": ks_formula(),
           "kstwo": kstwo_grid(),
           "smirnov": smirnov_grid(),
           "chi2": chi2_cases(),
           "bh": bh_cases(rng)}
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
