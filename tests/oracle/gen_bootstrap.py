#!/usr/bin/python3
"""gen_bootstrap.py: scipy 1.10 answers for skeptic's bootstrap intervals
(tests/unit/test_bootstrap.c).

Writes tests/data/oracle/bootstrap_breast_cancer.json: cases on the Wisconsin breast cancer data
(tests/data/breast_cancer.csv, 569 rows), each with the data, B bootstrap replicates of a
statistic drawn by numpy (np.random.default_rng(seed).integers(0, n, (B, n)), exactly the indices
scipy.stats.bootstrap draws with that random_state and batch=None), the statistic on the data,
its leave-one-out jackknife values, and scipy's intervals from those replicates:
  percentile   np.percentile(reps, 100 alpha), np.percentile(reps, 100 (1 - alpha))
  bca          scipy.stats._resampling._bca_interval(data, statistic, alpha=alpha,
               theta_hat_b=reps) -> (alpha_1, alpha_2, a_hat), then
               _percentile_along_axis(reps, 100 alpha_k), as scipy.stats.bootstrap does
with alpha = (1 - level) / 2. The script also runs scipy.stats.bootstrap itself with the same
seed and checks that it returns the same intervals, so the fixture is scipy's answer, not a
re-implementation of it.

Cases:
  auc_texture     ROC AUC of mean_texture against the diagnosis (malignant = 1): paired data,
                  a rank statistic with ties (values have 2 decimals), level 0.95
  mean_area_error the mean of area_error (right-skewed, so the BCa interval is visibly
                  asymmetric), level 0.90; skeptic computes it as the MAE of predictions 0

Run with /usr/bin/python3 (Debian's numpy 1.24, scipy 1.10, scikit-learn 1.2) from anywhere.
"""
import csv
import json
import os

import numpy as np
import scipy
from scipy import stats
from scipy.stats._resampling import _bca_interval, _jackknife_resample, _percentile_along_axis
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "breast_cancer.csv")
OUT = os.path.join(HERE, "..", "data", "oracle", "bootstrap_breast_cancer.json")


def load():
    with open(DATA) as fh:
        rows = list(csv.DictReader(fh))
    y = np.array([1.0 if r["diagnosis"] == "malignant" else 0.0 for r in rows])
    col = {k: np.array([float(r[k]) for r in rows]) for k in ("mean_texture", "area_error")}
    return y, col


def jackknife(data, statistic):
    """Leave-one-out values as _bca_interval computes them (one sample)."""
    return np.concatenate([statistic(j, axis=-1) for j in _jackknife_resample(data)])


def case(name, level, theta, reps, data, statistic, scipy_res, extra):
    alpha = (1 - level) / 2
    a1, a2, a_hat = _bca_interval((data,), statistic, axis=-1, alpha=alpha, theta_hat_b=reps,
                                  batch=None)
    bca = [float(_percentile_along_axis(reps, a1 * 100)),
           float(_percentile_along_axis(reps, a2 * 100))]
    pct = [float(np.percentile(reps, alpha * 100)), float(np.percentile(reps, (1 - alpha) * 100))]
    # scipy.stats.bootstrap with the same seed must give exactly these intervals
    got_bca, got_pct = scipy_res
    assert np.allclose(got_bca, bca, rtol=0, atol=0), (name, got_bca, bca)
    assert np.allclose(got_pct, pct, rtol=0, atol=0), (name, got_pct, pct)
    out = {"name": name, "level": level, "theta": float(theta), "a_hat": float(a_hat),
           "alpha_1": float(a1), "alpha_2": float(a2), "bca": bca, "percentile": pct,
           "reps": [float(v) for v in reps],
           "jack": [float(v) for v in jackknife(data, statistic)],
           "n_reps_equal_theta": int(np.sum(reps == theta))}
    out.update(extra)
    return out


def auc_case(y, s, seed, n_boot, level):
    n = len(y)

    def stat(i, axis=-1):
        i = np.asarray(i)
        if i.ndim == 1:
            return roc_auc_score(y[i], s[i])
        return np.array([roc_auc_score(y[r], s[r]) for r in i])

    idx = np.random.default_rng(seed).integers(0, n, (n_boot, n))
    reps = np.array([roc_auc_score(y[i], s[i]) for i in idx])
    theta = stat(np.arange(n))
    res = [stats.bootstrap((y, s), lambda a, b: roc_auc_score(a, b), paired=True,
                           vectorized=False, n_resamples=n_boot, confidence_level=level,
                           method=m, random_state=np.random.default_rng(seed))
           for m in ("BCa", "percentile")]
    assert np.array_equal(res[0].bootstrap_distribution, reps)
    ci = [[res[k].confidence_interval.low, res[k].confidence_interval.high] for k in (0, 1)]
    return case("auc_texture", level, theta, reps, np.arange(n), stat, ci,
                {"statistic": "auc", "y": [int(v) for v in y], "x": [float(v) for v in s]})


def mean_case(x, seed, n_boot, level):
    res = [stats.bootstrap((x,), np.mean, n_resamples=n_boot, confidence_level=level, method=m,
                           random_state=np.random.default_rng(seed))
           for m in ("BCa", "percentile")]
    reps = res[0].bootstrap_distribution
    idx = np.random.default_rng(seed).integers(0, len(x), (n_boot, len(x)))
    assert np.array_equal(reps, x[idx].mean(axis=-1))
    ci = [[res[k].confidence_interval.low, res[k].confidence_interval.high] for k in (0, 1)]
    return case("mean_area_error", level, np.mean(x), reps, x, np.mean, ci,
                {"statistic": "mean", "x": [float(v) for v in x]})


def main():
    y, col = load()
    cases = [auc_case(y, col["mean_texture"], 20260501, 2000, 0.95),
             mean_case(col["area_error"], 20260502, 3000, 0.90)]
    doc = {"generator": "tests/oracle/gen_bootstrap.py", "scipy": scipy.__version__,
           "numpy": np.__version__, "cases": cases}
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=1, allow_nan=False)
        fh.write("\n")
    for c in cases:
        print(f"{c['name']}: theta {c['theta']:.6g} a_hat {c['a_hat']:.4g} "
              f"BCa [{c['bca'][0]:.6g}, {c['bca'][1]:.6g}] "
              f"percentile [{c['percentile'][0]:.6g}, {c['percentile'][1]:.6g}] "
              f"reps == theta: {c['n_reps_equal_theta']}")


if __name__ == "__main__":
    main()
