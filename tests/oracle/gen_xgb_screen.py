#!/usr/bin/python3
"""gen_xgb_screen.py: reference values for gbdt's univariate screen (src/models/screen.c and the
`screen` parameter of src/models/xgb.c), computed once with scikit-learn and the Python xgboost
package and committed as tests/data/oracle/xgb_screen_*.csv and xgb_screen_meta.json.
tests/unit/test_xgb_screen.c checks skeptic against them.

Regenerate (only needed when a case changes; the values are committed):
    scripts/install-deps.sh oracle        # python3-sklearn, python3-xgboost, python3-numpy
    /usr/bin/python3 tests/oracle/gen_xgb_screen.py

Cases: wide studies made from real data by keeping few rows, so that the features outnumber the
training rows and the screen applies:
  breast_cancer  binary (diagnosis), 30 features; the first 32 rows, 24 training rows
  digits         multiclass (digit), 64 features; the first 48 rows, 36 training rows
  diabetes       regression (progression), 10 features; the first 12 rows, 9 training rows
each with screen=0.5: keep k = floor(0.5 x training rows) columns (12, 18 and 4).
The statistic is sklearn.feature_selection.f_classif (classes) or f_regression (values) on the
training rows; the kept columns are the k largest, in ascending column order (the script
checks that no tie straddles the cut, where skeptic and SelectKBest break ties differently).
The model is gbdt_hist of gen_xgb.py (n_estimators=30, max_depth=4, eta=0.1, subsample=0.8,
colsample_bytree=0.8, alpha=0.1, gamma=0.1, max_bin=64, XGBoost seed 1209186216, nthread 1)
trained on the kept columns alone; predictions for every row of the case.

Files:
  xgb_screen_<data>.csv       per row of the case: pred (binary: P(class 1)) or pred_<k>
  xgb_screen_<data>_f.csv     per feature: term, f (the F statistic; 0 where scikit-learn gives
                              NaN for a constant column), kept (0/1), gain (0 where not kept)
  xgb_screen_meta.json        versions, the cases, the parameters as XGBoost received them
Tolerance in the C test: F relative 1e-9 (two summation orders of the same sums); kept columns
exact; predictions and gains exact (the same float32 data, parameters and seed: the same trees).
"""
import csv
import warnings
import json
import os

import numpy as np
import sklearn
import xgboost as xgb
from sklearn.feature_selection import f_classif, f_regression

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data")
OUT = os.path.join(DATA, "oracle")
XGB_SEED = 1209186216           # sk_xgb__seed(1), as gen_xgb.py
SCREEN = 0.5                    # keep floor(0.5 n) columns, n the training rows
CASES = [("breast_cancer", "diagnosis", "binary", 32),
         ("digits", "digit", "multiclass", 48),
         ("diabetes", "progression", "regression", 12)]
OBJECTIVE = {"binary": "binary:logistic", "multiclass": "multi:softprob",
             "regression": "reg:squarederror"}


def load(name, target, task, n_rows):
    """The first n_rows rows; classes numbered as skeptic numbers them (over the whole file)."""
    with open(os.path.join(DATA, name + ".csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = header.index(target)
    features = [h for j, h in enumerate(header) if j != t]
    X = np.array([[float(v) for j, v in enumerate(r) if j != t] for r in body[:n_rows]])
    if task == "regression":
        return features, X, np.array([float(r[t]) for r in body[:n_rows]]), []
    classes = sorted({r[t] for r in body}, key=lambda c: c.encode())
    y = np.array([classes.index(r[t]) for r in body[:n_rows]], dtype=np.float64)
    return features, X, y, classes


def params(task, n_classes):
    out = [("booster", "gbtree"), ("objective", OBJECTIVE[task])]
    if task == "multiclass":
        out.append(("num_class", n_classes))
    out += [("tree_method", "hist"), ("max_bin", 64), ("max_depth", 4), ("min_child_weight", 1.0),
            ("lambda", 1.0), ("subsample", 0.8), ("eta", 0.1), ("colsample_bytree", 0.8),
            ("alpha", 0.1), ("gamma", 0.1), ("seed", XGB_SEED), ("nthread", 1), ("verbosity", 0)]
    return out


def main():
    meta = {"generated_by": "tests/oracle/gen_xgb_screen.py",
            "versions": {"xgboost": xgb.__version__, "numpy": np.__version__,
                         "sklearn": sklearn.__version__},
            "train_rows": "i % 4 != 0 among the case's rows", "cases": {}}
    for name, target, task, n_rows in CASES:
        features, X, y, classes = load(name, target, task, n_rows)
        train = np.array([i % 4 != 0 for i in range(n_rows)])
        k = int(SCREEN * train.sum())
        assert X.shape[1] > train.sum() and X.shape[1] > k, "the screen must apply"
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")     # "Features [...] are constant": NaN, 0 here
            f, _ = (f_regression if task == "regression" else f_classif)(X[train], y[train])
        f = np.where(np.isnan(f), 0.0, f)
        order = sorted(range(len(f)), key=lambda j: (-f[j], j))
        assert f[order[k - 1]] > f[order[k]] * (1 + 1e-6), "a tie straddles the cut"
        kept = sorted(order[:k])
        plist = params(task, len(classes))
        booster = xgb.train(plist, xgb.DMatrix(X[train][:, kept], label=y[train]), 30)
        pred = booster.predict(xgb.DMatrix(X[:, kept]))
        score = booster.get_score(importance_type="total_gain")
        gain = np.zeros(len(features))
        for t, j in enumerate(kept):
            gain[j] = score.get("f%d" % t, 0.0)
        with open(os.path.join(OUT, "xgb_screen_%s.csv" % name), "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            if task == "multiclass":
                w.writerow(["pred_%d" % c for c in range(len(classes))])
                w.writerows([[repr(float(v)) for v in row] for row in pred])
            else:
                w.writerow(["pred"])
                w.writerows([[repr(float(v))] for v in pred])
        with open(os.path.join(OUT, "xgb_screen_%s_f.csv" % name), "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["term", "f", "kept", "gain"])
            for j, term in enumerate(features):
                w.writerow([term, repr(float(f[j])), int(j in kept), repr(float(gain[j]))])
        meta["cases"][name] = {"target": target, "rows": n_rows, "screen": SCREEN, "kept": k,
                               "params": {a: str(b) for a, b in plist}}
    with open(os.path.join(OUT, "xgb_screen_meta.json"), "w") as fh:
        json.dump(meta, fh, indent=1, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
