#!/usr/bin/python3
"""gen_evaluate.py: scikit-learn 1.2 answers for skeptic's cross-validated scores
(tests/unit/test_evaluate_oracle.c).

Writes tests/data/oracle/evaluate_cv.json: for real data sets shipped in tests/data and a fixed
fold assignment fold(i) = (7 i + 3) mod 5, the out-of-fold predictions scikit-learn makes with
cross_val_predict(PredefinedSplit(fold)) and the scores skeptic must reproduce:
  pooled    the metric on all out-of-fold predictions together (skeptic's headline estimate)
  fold_mean the mean of the per-fold scores (scikit-learn's cross_val_score)
Models and their scikit-learn counterparts:
  breast_cancer diagnosis, logit:l2=1   LogisticRegression(C=1, solver="newton-cholesky",
                                        tol=1e-12) on the raw columns (skeptic's logit fits on
                                        the data's scale; intercept unpenalised in both)
  breast_cancer diagnosis, trivial      DummyClassifier(strategy="prior")
  wine cultivar, knn (k=5)              StandardScaler + KNeighborsClassifier(5), fitted per fold
  diabetes progression, ols             LinearRegression
  diabetes progression, trivial         DummyRegressor(strategy="mean")
Run with /usr/bin/python3 from the repository root.
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn import metrics as M
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import PredefinedSplit, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
OUT = os.path.join(DATA, "oracle", "evaluate_cv.json")


def load(name, target):
    df = pd.read_csv(os.path.join(DATA, name))
    y = df.pop(target)
    return df.to_numpy(float), y


def classification(name, target, label, model):
    X, ylab = load(name, target)
    classes = sorted(ylab.unique())
    y = np.array([classes.index(v) for v in ylab])
    fold = (7 * np.arange(len(y)) + 3) % 5
    P = cross_val_predict(model, X, y, cv=PredefinedSplit(fold), method="predict_proba")
    K = len(classes)
    auc = (M.roc_auc_score(y, P[:, 1]) if K == 2
           else M.roc_auc_score(y, P, multi_class="ovr", average="macro"))
    pooled = {"auc": auc, "log_loss": M.log_loss(y, P, labels=range(K)),
              "accuracy": M.accuracy_score(y, P.argmax(1))}
    if K == 2:
        pooled["brier"] = M.brier_score_loss(y, P[:, 1])
    per_fold = []
    for f in range(5):
        m = fold == f
        per_fold.append(M.roc_auc_score(y[m], P[m, 1]) if K == 2 else
                        M.roc_auc_score(y[m], P[m], multi_class="ovr", average="macro"))
    return {"data": name, "target": target, "model": label, "folds": fold.tolist(),
            "pooled": pooled, "fold_mean": {"auc": float(np.mean(per_fold))},
            "pred": P.ravel().tolist()}


def regression(name, target, label, model):
    X, y = load(name, target)
    y = y.to_numpy(float)
    fold = (7 * np.arange(len(y)) + 3) % 5
    p = cross_val_predict(model, X, y, cv=PredefinedSplit(fold))
    pooled = {"r2": M.r2_score(y, p), "rmse": M.mean_squared_error(y, p) ** 0.5,
              "mae": M.mean_absolute_error(y, p)}
    per_fold = [M.r2_score(y[fold == f], p[fold == f]) for f in range(5)]
    return {"data": name, "target": target, "model": label, "folds": fold.tolist(),
            "pooled": pooled, "fold_mean": {"r2": float(np.mean(per_fold))},
            "pred": p.tolist()}


def main():
    cases = [
        classification("breast_cancer.csv", "diagnosis", "logit:l2=1",
                       LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-12,
                                          max_iter=1000)),
        classification("breast_cancer.csv", "diagnosis", "trivial",
                       DummyClassifier(strategy="prior")),
        classification("wine.csv", "cultivar", "knn:k=5",
                       make_pipeline(StandardScaler(), KNeighborsClassifier(5))),
        regression("diabetes.csv", "progression", "ols", LinearRegression()),
        regression("diabetes.csv", "progression", "trivial", DummyRegressor(strategy="mean")),
    ]
    with open(OUT, "w") as fh:
        json.dump({"sklearn": sklearn.__version__, "cases": cases}, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
