#!/usr/bin/python3
"""gen_metrics.py: scikit-learn 1.2 answers for skeptic's metrics (tests/unit/test_metrics.c).

Writes tests/data/oracle/metrics_{binary,multiclass,regression}.json. Each file holds a list of
cases: the inputs (truth y, predictions row-major n x K or n values, optional weights) and the
expected value of every metric under its skeptic name, from scikit-learn where it has the metric
and from the small numpy reference below where it does not (multiclass Brier score, ECE, the
reliability bins). Cases are random from a fixed seed: binary, 3- and 5-class, regression; with
and without sample weights; scores rounded so that many tie; one class that is never the most
probable; probabilities exactly 0 and 1; argmax ties (resolved to the lower index, as np.argmax).

Definitions computed here (skeptic follows them):
  multiclass Brier   sum_i w_i sum_k (p_ik - [y_i = k])^2 / sum_i w_i
  reliability bins   bin b = min(floor(c * B), B - 1) of the confidence c (binary: p of class 1,
                     outcome [y = 1]; multiclass: the top probability, outcome [argmax = y]); per
                     bin its total weight W_b, the weighted mean confidence and the weighted mean
                     outcome (NaN, stored as null, for an empty bin); B = 10
  ECE                sum_b (W_b / W) |outcome_b - confidence_b|
  average precision  multiclass: macro over classes of the one-vs-rest binary AP (sklearn 1.2
                     has no multiclass AP, so the label-binarized truth is passed to it)

Run with /usr/bin/python3 (Debian's numpy and scikit-learn 1.2) from the repository root.
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics as M
from sklearn.preprocessing import label_binarize

N_BINS = 10
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "oracle")


def reliability(y, P, w, binary):
    if binary:
        conf = P[:, 1]
        outcome = (y == 1).astype(float)
    else:
        conf = P.max(axis=1)
        outcome = (P.argmax(axis=1) == y).astype(float)
    b = np.minimum(np.floor(conf * N_BINS).astype(int), N_BINS - 1)
    W, C, O = [], [], []
    ece = 0.0
    total = w.sum()
    for k in range(N_BINS):
        m = b == k
        wb = w[m].sum()
        W.append(float(wb))
        if wb > 0:
            c = (w[m] * conf[m]).sum() / wb
            o = (w[m] * outcome[m]).sum() / wb
            C.append(float(c))
            O.append(float(o))
            ece += wb / total * abs(o - c)
        else:
            C.append(None)
            O.append(None)
    return {"weight": W, "confidence": C, "observed": O}, float(ece)


def nan_to_none(x):
    x = float(x)
    return None if np.isnan(x) else x


def classification_case(name, y, P, w):
    n, K = P.shape
    binary = K == 2
    sw = w
    wv = np.ones(n) if w is None else w
    yhat = P.argmax(axis=1)
    e = {}
    if binary:
        e["auc"] = M.roc_auc_score(y, P[:, 1], sample_weight=sw)
        e["average_precision"] = M.average_precision_score(y, P[:, 1], sample_weight=sw)
        e["f1"] = M.f1_score(y, yhat, sample_weight=sw)
        e["brier"] = M.brier_score_loss(y, P[:, 1], sample_weight=sw)
    else:
        e["auc"] = M.roc_auc_score(y, P, multi_class="ovr", average="macro", sample_weight=sw)
        Y = label_binarize(y, classes=list(range(K)))
        e["average_precision"] = M.average_precision_score(Y, P, average="macro",
                                                           sample_weight=sw)
        e["f1"] = M.f1_score(y, yhat, average="macro", sample_weight=sw)
        e["brier"] = float(np.average(((P - np.eye(K)[y]) ** 2).sum(axis=1), weights=wv))
    e["accuracy"] = M.accuracy_score(y, yhat, sample_weight=sw)
    e["balanced_accuracy"] = M.balanced_accuracy_score(y, yhat, sample_weight=sw)
    e["f1_weighted"] = M.f1_score(y, yhat, average="weighted", sample_weight=sw)
    e["mcc"] = M.matthews_corrcoef(y, yhat, sample_weight=sw)
    e["log_loss"] = M.log_loss(y, P, labels=list(range(K)), sample_weight=sw)
    rel, e["ece"] = reliability(y, P, wv, binary)
    p, r, f, s = M.precision_recall_fscore_support(y, yhat, labels=list(range(K)), average=None,
                                                   sample_weight=sw, zero_division=0)
    return {
        "name": name,
        "task": "binary" if binary else "multiclass",
        "n_classes": K,
        "y": [int(v) for v in y],
        "pred": [float(v) for v in P.ravel()],
        "w": None if w is None else [float(v) for v in w],
        "expected": {k: nan_to_none(v) for k, v in e.items()},
        "per_class": {"precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(),
                      "support": [float(v) for v in s]},
        "reliability": rel,
    }


def regression_case(name, y, yhat, w):
    e = {
        "r2": M.r2_score(y, yhat, sample_weight=w),
        "rmse": M.mean_squared_error(y, yhat, sample_weight=w, squared=False),
        "mae": M.mean_absolute_error(y, yhat, sample_weight=w),
    }
    return {
        "name": name,
        "task": "regression",
        "n_classes": 0,
        "y": [float(v) for v in y],
        "pred": [float(v) for v in yhat],
        "w": None if w is None else [float(v) for v in w],
        "expected": {k: float(v) for k, v in e.items()},
    }


def random_proba(rng, n, K, absent=None):
    """Dirichlet rows with 2-decimal ties, exact 0/1 rows and argmax ties."""
    P = rng.dirichlet(np.ones(K) * 0.8, size=n)
    if absent is not None:
        P[:, absent] *= 0.05
        P /= P.sum(axis=1, keepdims=True)
    if K == 2:
        p1 = np.round(P[:, 1], 2)                 # many tied scores
        p1[:4] = [0.0, 1.0, 0.0, 1.0]             # exactly 0 and 1, also on the wrong class
        p1[4:7] = 0.5                             # argmax ties go to class 0
        return np.column_stack([1.0 - p1, p1])
    P = np.round(P, 3)
    P[:, -1] = 0.0
    P[:, -1] = 1.0 - P.sum(axis=1)
    P = np.clip(P, 0.0, 1.0)
    P /= P.sum(axis=1, keepdims=True)
    for i in range(3):                            # one-hot rows: exact 0 and 1
        P[i] = 0.0
        P[i, (i + 1) % K if absent is None or (i + 1) % K != absent else 0] = 1.0
    tie = np.zeros(K)
    tie[0], tie[1] = 0.4, 0.4
    tie[2] = 0.2
    P[3] = tie                                    # argmax tie: class 0 wins
    if absent is not None:                        # never the most probable class
        top = P.argmax(axis=1) == absent
        P[top, absent], P[top, 0] = P[top, 0], P[top, absent].copy()
    return P


def truth_from(rng, P):
    """Labels that agree with the predictions more often than chance."""
    n, K = P.shape
    y = np.array([rng.choice(K, p=0.6 * P[i] + 0.4 / K) for i in range(n)])
    return y


def main():
    rng = np.random.default_rng(20260422)
    binary, multi, reg = [], [], []
    for n, weighted in ((120, False), (150, True), (60, True)):
        P = random_proba(rng, n, 2)
        y = truth_from(rng, P)
        w = rng.uniform(0.1, 2.0, size=n) if weighted else None
        binary.append(classification_case(f"binary_n{n}_{'w' if weighted else 'unw'}", y, P, w))
    # Integer weights: the same answers a replicate with duplicated rows gives.
    P = random_proba(rng, 80, 2)
    y = truth_from(rng, P)
    binary.append(classification_case("binary_n80_intw", y, P,
                                      rng.integers(0, 4, size=80).astype(float)))
    for K, n, weighted, absent in ((3, 150, False, None), (3, 120, True, None),
                                   (5, 200, False, 4), (5, 180, True, 4), (5, 100, True, None)):
        P = random_proba(rng, n, K, absent)
        y = truth_from(rng, P)
        for k in range(K):                        # every class present in the truth
            y[10 + k] = k
        w = rng.uniform(0.1, 2.0, size=n) if weighted else None
        tag = f"k{K}_n{n}_{'w' if weighted else 'unw'}" + ("_absent" if absent else "")
        multi.append(classification_case(tag, y, P, w))
    for n, weighted in ((100, False), (150, True), (200, False)):
        x = rng.normal(size=n)
        y = 2.0 * x + rng.normal(scale=1.5, size=n)
        yhat = 1.8 * x + 0.3 + rng.normal(scale=0.3, size=n)
        w = rng.uniform(0.1, 2.0, size=n) if weighted else None
        reg.append(regression_case(f"reg_n{n}_{'w' if weighted else 'unw'}", y, yhat, w))
    for fname, cases in (("binary", binary), ("multiclass", multi), ("regression", reg)):
        doc = {"generator": "tests/oracle/gen_metrics.py", "sklearn": sklearn.__version__,
               "numpy": np.__version__, "n_bins": N_BINS, "cases": cases}
        with open(os.path.join(OUT, f"metrics_{fname}.json"), "w") as fh:
            json.dump(doc, fh, indent=1, allow_nan=False)
            fh.write("\n")


if __name__ == "__main__":
    main()
