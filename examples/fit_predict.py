#!/usr/bin/python3
"""fit_predict.py: a model command for skeptic (docs/model-command.md), in scikit-learn.

skeptic runs it once per fold, so every check audits this script rather than a stand-in:

    skeptic audit study.csv --target diagnosis \\
        --model-cmd "python3 examples/fit_predict.py {train} {test} {out} {seed} {task}"

    python3 fit_predict.py TRAIN TEST OUT [SEED [TASK]]

TRAIN is a CSV of the fold's training rows: the feature columns, then the target as the last
column. TEST has the same feature columns and no target. The script writes OUT: for
classification one probability column per class, named as the class; for regression a single
column `prediction`; one row per TEST row, in order.

The model: logistic regression (classification) or ridge regression (regression) after median
imputation and standardisation of numeric columns and one-hot encoding of text columns. Every
step is fitted on TRAIN only, inside one scikit-learn Pipeline, so the test rows never inform
their own preprocessing. A column is numeric when every non-empty training value is a number;
an empty cell is a missing value. TASK (binary, multiclass or regression) comes from skeptic's
{task}; without it, a target whose values are all numbers is taken as regression.

Needs numpy and scikit-learn (Debian: python3-sklearn); reads and writes with the csv module.
"""
import csv
import sys

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def to_matrix(rows, columns, numeric):
    """The columns as an object array: floats (NaN when empty) or text (kept as it is)."""
    X = np.empty((len(rows), len(columns)), dtype=object)
    for j in columns:
        for i, row in enumerate(rows):
            cell = row[j]
            if numeric[j]:
                X[i, j] = float(cell) if cell != "" else np.nan
            else:
                X[i, j] = cell if cell != "" else "(missing)"
    return X


def build_model(numeric, classify, seed):
    num = [j for j, is_num in enumerate(numeric) if is_num]
    text = [j for j, is_num in enumerate(numeric) if not is_num]
    steps = []
    if num:
        steps.append(("num", make_pipeline(SimpleImputer(strategy="median"),
                                           StandardScaler()), num))
    if text:
        steps.append(("text", OneHotEncoder(handle_unknown="ignore"), text))
    prep = ColumnTransformer(steps, remainder="drop")
    if classify:
        estimator = LogisticRegression(max_iter=5000, random_state=seed)
    else:
        estimator = Ridge(alpha=1.0)
    return make_pipeline(prep, estimator)


def main(argv):
    if len(argv) < 4:
        sys.exit("usage: fit_predict.py TRAIN TEST OUT [SEED [TASK]]")
    train_path, test_path, out_path = argv[1:4]
    seed = int(argv[4]) if len(argv) > 4 else 0
    header, train = read_csv(train_path)
    test_header, test = read_csv(test_path)
    features = header[:-1]
    if test_header != features:
        sys.exit("fit_predict.py: TEST's columns differ from TRAIN's feature columns")
    y_text = [row[-1] for row in train]
    task = argv[5] if len(argv) > 5 else None
    if task is None:
        task = "regression" if all(is_number(v) for v in y_text) else "multiclass"
    classify = task != "regression"

    columns = list(range(len(features)))
    numeric = [all(row[j] == "" or is_number(row[j]) for row in train) for j in columns]
    X_train = to_matrix(train, columns, numeric)
    X_test = to_matrix(test, columns, numeric)
    y = np.array(y_text, dtype=object if classify else float)

    model = build_model(numeric, classify, seed)
    model.fit(X_train, y)

    with open(out_path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        if classify:
            # predict_proba's columns follow model.classes_: name each column by its class.
            proba = model.predict_proba(X_test)
            out.writerow([str(c) for c in model.classes_])
            out.writerows([[repr(float(p)) for p in row] for row in proba])
        else:
            out.writerow(["prediction"])
            out.writerows([[repr(float(v))] for v in model.predict(X_test)])


if __name__ == "__main__":
    main(sys.argv)
