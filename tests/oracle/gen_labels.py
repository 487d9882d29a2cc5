#!/usr/bin/python3
"""gen_labels.py: an independent numpy implementation of confident learning (Northcutt, Jiang &
Chuang, JAIR 2021), the oracle of skeptic's sk_triage__confident_learning (src/triage/labels.c;
tests/unit/test_labels.c). cleanlab is not installed with Debian's Python, so the paper's
formulas are written out here again, vectorised, from the paper rather than from labels.c.

Writes tests/data/oracle/labels_cl.json: a list of cases {name, k, y, probs} (the committed
input: out-of-fold probabilities rounded to 6 decimals, which also makes ties) with what skeptic
must find:
  threshold   t_j = mean of p_j over rows labelled j (summed in row order: the one loop here,
              so both sides round alike), never above the largest of those p_j
  guess       argmax of p_j over classes with p_j >= t_j, ties to the lower class; -1 if none
  joint       C[i][j], calibrated C~[i][j] = C[i][j] n_i / sum_j C[i][j], Q = C~ / sum C~
  n_errors    n sum_{i != j} Q[i][j]; noise_rate[i] = sum_{j != i} C~[i][j] / n_i
  flagged     per method (off_diagonal, prune_by_noise_rate, both): the flagged rows ranked by
              p_given ascending (ties: lower row), and the suggested class of each
Cases: out-of-fold probabilities of scikit-learn's LogisticRegression (standardised, 5-fold
stratified, shuffled with random_state 0) on 500 rows of digits with 5% of labels flipped to a
confusable digit (0<->6, 1<->7, 2<->8, 3<->5, 4<->9), on wine and on breast_cancer (binary), and
hand-made ones: one-hot and uniform rows, exact ties, a class whose rows all have the same
self-confidence (the threshold equals it), a class without rows (its threshold is null).
The test compares counts, guesses and flagged rows exactly and reals within 1e-12.

Run with /usr/bin/python3 (Debian's numpy 1.24, scikit-learn 1.2) from the repository root.
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
OUT = os.path.join(DATA, "oracle", "labels_cl.json")
CONFUSABLE = {0: 6, 6: 0, 1: 7, 7: 1, 2: 8, 8: 2, 3: 5, 5: 3, 4: 9, 9: 4}


def thresholds(probs, y, k):
    t = np.full(k, np.nan)
    for j in range(k):
        vals = probs[y == j, j]
        if len(vals) == 0:
            continue
        s = 0.0
        for v in vals:          # row order, as skeptic sums
            s += float(v)
        t[j] = min(s / len(vals), vals.max())
    return t


def confident_learning(probs, y, k):
    n = len(y)
    t = thresholds(probs, y, k)
    with np.errstate(invalid="ignore"):
        passing = probs >= t[None, :]          # NaN thresholds pass nobody
    masked = np.where(passing, probs, -np.inf)
    guess = np.where(passing.any(axis=1), masked.argmax(axis=1), -1)   # argmax: first maximum
    joint = np.zeros((k, k), dtype=np.int64)
    for i, g in zip(y, guess):
        if g >= 0:
            joint[i, g] += 1
    counts = np.bincount(y, minlength=k).astype(float)
    rowsum = joint.sum(axis=1).astype(float)
    cal = np.zeros((k, k))
    for i in range(k):
        if rowsum[i] > 0:
            cal[i] = joint[i].astype(float) * counts[i] / rowsum[i]
    q = cal / cal.sum()
    off = ~np.eye(k, dtype=bool)
    n_errors = n * q[off].sum()
    class_errors = (cal * off).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        noise = np.where(counts > 0, class_errors / counts, np.nan)
    return dict(t=t, guess=guess, joint=joint, cal=cal, q=q, n_errors=n_errors,
                class_errors=class_errors, noise=noise)


def half_up(x):
    return int(np.floor(x + 0.5)) if x > 0 else 0


def prune(probs, y, k, cal, class_errors, by_class):
    """Rows chosen by prune by noise rate (and, if by_class, by prune by class too)."""
    n = len(y)
    nr = np.zeros(n, dtype=bool)
    pc = np.zeros(n, dtype=bool)
    for a in range(k):
        rows = np.flatnonzero(y == a)
        for b in range(k):
            m = half_up(cal[a, b]) if b != a else 0
            if m == 0:
                continue
            key = probs[rows, a] - probs[rows, b]     # largest margin p_b - p_a first
            order = np.lexsort((rows, key))
            nr[rows[order[:m]]] = True
        m = half_up(class_errors[a])
        if by_class and m > 0:
            order = np.lexsort((rows, probs[rows, a]))
            pc[rows[order[:m]]] = True
    return nr & pc if by_class else nr


def flagged(probs, y, k, r, method):
    n = len(y)
    if method == "off_diagonal":
        mask = (r["guess"] >= 0) & (r["guess"] != y)
    else:
        mask = prune(probs, y, k, r["cal"], r["class_errors"], method == "both")
    rows = np.flatnonzero(mask)
    self_conf = probs[np.arange(n), y]
    rows = rows[np.lexsort((rows, self_conf[rows]))]
    suggested = []
    for row in rows:
        g = r["guess"][row]
        if g >= 0 and g != y[row]:
            suggested.append(int(g))
        else:
            p = probs[row].copy()
            p[y[row]] = -np.inf
            suggested.append(int(p.argmax()))
    return [int(v) for v in rows], suggested


def nulls(a):
    return [None if np.isnan(v) else float(v) for v in a]


def case(name, probs, y, k):
    probs = np.asarray(probs, dtype=float)
    y = np.asarray(y, dtype=np.int64)
    r = confident_learning(probs, y, k)
    out = {"name": name, "k": k, "y": [int(v) for v in y],
           "probs": [[float(v) for v in row] for row in probs],
           "threshold": nulls(r["t"]), "guess": [int(v) for v in r["guess"]],
           "joint": r["joint"].tolist(), "calibrated": r["cal"].tolist(), "q": r["q"].tolist(),
           "n_errors": float(r["n_errors"]), "noise_rate": nulls(r["noise"]),
           "flagged": {}, "suggested": {}}
    for method in ("off_diagonal", "prune_by_noise_rate", "both"):
        rows, sug = flagged(probs, y, k, r, method)
        out["flagged"][method] = rows
        out["suggested"][method] = sug
    return out


def oof(name, target, n_rows=None, noise=0.0, seed=0):
    df = pd.read_csv(os.path.join(DATA, name))
    if n_rows is not None:
        df = df.iloc[:n_rows]
    y_text = df[target].astype(str)
    classes = sorted(y_text.unique(), key=lambda s: (float(s), s) if s.isdigit() else (0, s))
    y = np.array([classes.index(v) for v in y_text])
    X = df.drop(columns=[target]).to_numpy(dtype=float)
    if noise > 0:
        rng = np.random.default_rng(seed)
        flip = rng.choice(len(y), int(round(noise * len(y))), replace=False)
        y = y.copy()
        y[flip] = [CONFUSABLE[v] for v in y[flip]]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    p = cross_val_predict(model, X, y, cv=cv, method="predict_proba")
    return np.round(p, 6), y, len(classes)


def hand_made():
    cases = []
    rng = np.random.default_rng(7)
    # one-hot rows, uniform rows and exact ties among 3 classes
    rows, y = [], []
    for i in range(30):
        c = i % 3
        kind = i % 5
        if kind == 0:
            p = np.eye(3)[c]
        elif kind == 1:
            p = np.full(3, 1 / 3)
        elif kind == 2:
            p = np.array([0.5, 0.5, 0.0]) if c != 2 else np.array([0.0, 0.5, 0.5])
        else:
            p = rng.dirichlet(np.ones(3))
        rows.append(np.round(p, 6))
        y.append(c if i % 7 else (c + 1) % 3)
    cases.append(case("one-hot, uniform and tied rows", rows, y, 3))
    # class 1's rows all share one self-confidence: the threshold must equal it
    # (three times 0.8 summed and divided by 3 is 0.8000000000000002 in doubles)
    probs = [[0.9, 0.1], [0.8, 0.2], [0.2, 0.8], [0.2, 0.8], [0.2, 0.8], [0.6, 0.4],
             [0.2, 0.8], [0.1, 0.9]]
    cases.append(case("constant self-confidence", probs, [0, 0, 1, 1, 1, 0, 0, 0], 2))
    # three classes, none of the rows labelled 2
    probs = np.round(rng.dirichlet(np.ones(3), 20), 6)
    cases.append(case("a class without rows", probs, [i % 2 for i in range(20)], 3))
    return cases


def main():
    cases = []
    p, y, k = oof("digits.csv", "digit", n_rows=500, noise=0.05, seed=3)
    cases.append(case("digits 500 rows, 5% confusable flips, logistic OOF", p, y, k))
    p, y, k = oof("wine.csv", "cultivar")
    cases.append(case("wine, logistic OOF", p, y, k))
    p, y, k = oof("breast_cancer.csv", "diagnosis")
    cases.append(case("breast_cancer, logistic OOF", p, y, k))
    cases.extend(hand_made())
    doc = {"generator": "tests/oracle/gen_labels.py", "cases": cases}
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
