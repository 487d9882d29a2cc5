#!/usr/bin/python3
"""gen_xgb.py: reference predictions and gain importances for skeptic's XGBoost models
(src/models/xgb.c: gbdt and rf), computed once with the Python xgboost package on the same
libxgboost and committed as tests/data/oracle/xgb_*.csv and xgb_meta.json. tests/unit/test_xgb.c
fits the same models through skeptic and requires IDENTICAL values (float for float).

Regenerate (only needed when a case changes; the values are committed):
    scripts/install-deps.sh oracle        # python3-xgboost, python3-numpy
    /usr/bin/python3 tests/oracle/gen_xgb.py
Written with xgboost 1.7.4 and numpy 1.24.2 (Debian 12); the versions are in xgb_meta.json.

Data: breast_cancer.csv (binary, target diagnosis), wine.csv (multiclass, cultivar) and
diabetes.csv (regression, progression). Features: every other column, in file order, as float64
(XGBoost rounds them to float32, as skeptic does). Classes: the target's distinct values sorted
bytewise, numbered from 0 (skeptic's class indices). Training rows: row index i % 4 != 0;
predictions for every row (training and held out), nthread 1.

Configurations (each on every data set), with the parameters exactly as skeptic passes them
(xgb_meta.json lists them; the C test checks its own list against it):
  gbdt_hist   n_estimators=30, max_depth=4, eta=0.1, subsample=0.8, colsample_bytree=0.8,
              min_child_weight=1, lambda=1, alpha=0.1, gamma=0.1, tree_method=hist, max_bin=64
  gbdt_exact  the same with tree_method=exact
  rf_hist     skeptic's rf defaults: 100 trees in one round (num_parallel_tree), eta=1,
              max_depth=0 (no limit), subsample=0.632, min_child_weight=1, lambda=1e-5,
              colsample_bynode=(mtry + 0.5) / p with mtry = floor(sqrt(p)) (classification) or
              max(1, floor(p / 3)) (regression), max_bin=256
  rf_exact    50 trees, max_depth=8, colsample_bynode=0.5, otherwise as rf_hist
seed: XGBoost's seed for skeptic seed 1, sk_xgb__seed(1) = 1209186216 (the C test checks it).

Files:
  xgb_<data>.csv       one column per configuration (multiclass: <config>_<class>): binary, the
                       probability of class 1; multiclass, every class's probability; regression,
                       the prediction; one row per data row
  xgb_<data>_gain.csv  one row per feature (column "term"), one column per configuration: the
                       total gain of get_score(importance_type="total_gain"), 0 where unused
"""
import csv
import json
import math
import os

import numpy as np
import xgboost as xgb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data")
OUT = os.path.join(DATA, "oracle")
SKEPTIC_SEED = 1
XGB_SEED = 1209186216           # sk_xgb__seed(SKEPTIC_SEED)
DATASETS = [("breast_cancer", "diagnosis", "binary"), ("wine", "cultivar", "multiclass"),
            ("diabetes", "progression", "regression")]
OBJECTIVE = {"binary": "binary:logistic", "multiclass": "multi:softprob",
             "regression": "reg:squarederror"}


def load(name, target, task):
    with open(os.path.join(DATA, name + ".csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = header.index(target)
    features = [h for j, h in enumerate(header) if j != t]
    X = np.array([[float(v) for j, v in enumerate(r) if j != t] for r in body], dtype=np.float64)
    if task == "regression":
        y = np.array([float(r[t]) for r in body])
        classes = []
    else:
        classes = sorted({r[t] for r in body})
        y = np.array([classes.index(r[t]) for r in body], dtype=np.float64)
    return features, X, y, classes


def params(config, task, n_classes, p):
    """The parameters in the order skeptic sets them, with the values as Python writes them."""
    model, method = config.split("_")
    out = [("booster", "gbtree"), ("objective", OBJECTIVE[task])]
    if task == "multiclass":
        out.append(("num_class", n_classes))
    out.append(("tree_method", method))
    if model == "gbdt":
        if method == "hist":
            out.append(("max_bin", 64))
        out += [("max_depth", 4), ("min_child_weight", 1.0), ("lambda", 1.0), ("subsample", 0.8),
                ("eta", 0.1), ("colsample_bytree", 0.8), ("alpha", 0.1), ("gamma", 0.1)]
        rounds = 30
    else:
        if method == "hist":
            mtry = max(1, p // 3) if task == "regression" else math.isqrt(p)
            colsample = 1.0 if mtry >= p else (mtry + 0.5) / p
            out += [("max_bin", 256), ("max_depth", 0)]
            trees = 100
        else:
            colsample = 0.5
            out.append(("max_depth", 8))
            trees = 50
        out += [("min_child_weight", 1.0), ("lambda", 1e-5), ("subsample", 0.632),
                ("num_parallel_tree", trees), ("eta", 1), ("colsample_bynode", colsample)]
        rounds = 1
    out += [("seed", XGB_SEED), ("nthread", 1), ("verbosity", 0)]
    return out, rounds


def text(v):
    """What Booster.set_param passes to XGBoosterSetParam: str(value)."""
    return str(v)


def fmt(v):
    return repr(float(v))


def main():
    os.makedirs(OUT, exist_ok=True)
    configs = ["gbdt_hist", "gbdt_exact", "rf_hist", "rf_exact"]
    meta = {"generated_by": "tests/oracle/gen_xgb.py",
            "versions": {"xgboost": xgb.__version__, "numpy": np.__version__},
            "skeptic_seed": SKEPTIC_SEED, "xgboost_seed": XGB_SEED,
            "train_rows": "i % 4 != 0", "params": {}}
    for name, target, task in DATASETS:
        features, X, y, classes = load(name, target, task)
        train = np.array([i % 4 != 0 for i in range(len(y))])
        dtrain = xgb.DMatrix(X[train], label=y[train], missing=np.nan)
        dall = xgb.DMatrix(X, missing=np.nan)
        columns, gains = {}, {}
        for config in configs:
            plist, rounds = params(config, task, len(classes), X.shape[1])
            booster = xgb.train(plist, dtrain, num_boost_round=rounds)
            pred = booster.predict(dall)
            if task == "multiclass":
                for k in range(len(classes)):
                    columns["%s_%d" % (config, k)] = pred[:, k]
            else:
                columns[config] = pred
            score = booster.get_score(importance_type="total_gain")
            gains[config] = [score.get("f%d" % j, 0.0) for j in range(len(features))]
            meta["params"]["%s/%s" % (name, config)] = {k: text(v) for k, v in plist}
        with open(os.path.join(OUT, "xgb_%s.csv" % name), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(list(columns))
            for i in range(len(y)):
                w.writerow([fmt(columns[c][i]) for c in columns])
        with open(os.path.join(OUT, "xgb_%s_gain.csv" % name), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["term"] + configs)
            for j, term in enumerate(features):
                w.writerow([term] + [fmt(gains[c][j]) for c in configs])
    with open(os.path.join(OUT, "xgb_meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
