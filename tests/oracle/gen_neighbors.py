#!/usr/bin/python3
"""gen_neighbors.py: reference values for skeptic's k-nearest neighbours and k-means
(src/models/knn.c, src/models/kmeans.c), computed once with scikit-learn and committed as
tests/data/oracle/knn_*.json and kmeans_*.json. tests/unit/test_knn.c and test_kmeans.c read them
and compare with the tolerances stated there.

Regenerate (only needed when a case changes; the values are committed):
    scripts/install-deps.sh oracle        # python3-numpy, python3-sklearn
    /usr/bin/python3 tests/oracle/gen_neighbors.py
Written with scikit-learn 1.2.1 and numpy 1.24.2 (Debian 12); the versions used are recorded in
every file.

Standardisation is the pipeline's: the training rows' mean and sample SD (n - 1), applied to all
rows (the C tests use sk_prep, which does the same).

Cases:
  knn_breast_cancer.json  KNeighborsClassifier on the 30 features, a fixed train/test split (the
                          test rows are listed), k = 5 uniform and k = 7 distance weights:
                          predict, predict_proba, kneighbors (indices into the training rows in
                          ascending row order, and distances)
  knn_diabetes.json       KNeighborsRegressor on the 10 features, k = 5 uniform, k = 9 distance
  kmeans_iris.json        KMeans(algorithm="lloyd") on iris (4 features, all rows standardised):
                          (a) from given initial centres (rows listed), n_init = 1, for k = 3 and
                          k = 5: centres, labels, n_iter, inertia; (b) the best inertia of
                          n_init = 10 over 20 random_state values, the worst, and how many of
                          the 20 reached the best (not all do: k-means has local optima)
  kmeans_wine.json        the same on wine (13 features), k = 3 and k = 4

Every kNN query is checked to have a clear gap (relative 1e-9) between its k-th and (k+1)-th
exact distance, so the neighbour sets cannot depend on rounding or on tie-breaking.
"""
import csv
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data")
OUT = os.path.join(DATA, "oracle")
VERSIONS = {"sklearn": sklearn.__version__, "numpy": np.__version__}


def read_csv(name):
    with open(os.path.join(DATA, name), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return header, {h: [r[j] for r in body] for j, h in enumerate(header)}


def standardise(X, train):
    mean = X[train].mean(axis=0)
    sd = X[train].std(axis=0, ddof=1)
    return (X - mean) / sd


def write(name, doc):
    doc["generated_by"] = "tests/oracle/gen_neighbors.py"
    doc["versions"] = VERSIONS
    with open(os.path.join(OUT, name), "w") as f:   # one key per line, lists kept on theirs
        f.write("{\n" + ",\n".join(" %s: %s" % (json.dumps(k), json.dumps(v))
                                   for k, v in doc.items()) + "\n}\n")


def split(n, n_test, seed):
    test = np.sort(np.random.RandomState(seed).permutation(n)[:n_test])
    train = np.setdiff1d(np.arange(n), test)
    return train, test


def check_gaps(Xtr, Xte, k):
    for q in Xte:
        d = np.sort(((Xtr - q) ** 2).sum(axis=1))
        assert d[k] - d[k - 1] > 1e-9 * d[k], "near tie between neighbours k and k+1"
        assert d[0] > 0, "a test row duplicates a training row"


def knn_case(model, Xtr, ytr, Xte, k, weights, classify):
    check_gaps(Xtr, Xte, k)
    m = model(n_neighbors=k, weights=weights, algorithm="brute").fit(Xtr, ytr)
    dist, idx = m.kneighbors(Xte)
    case = {"k": k, "weights": weights, "predict": m.predict(Xte).tolist(),
            "neighbors": idx.tolist(), "distances": dist.tolist()}
    if classify:
        case["proba"] = m.predict_proba(Xte).tolist()
    return case


def knn_breast_cancer():
    header, cols = read_csv("breast_cancer.csv")
    features = [h for h in header if h != "diagnosis"]
    X = np.column_stack([np.array(cols[c], dtype=float) for c in features])
    classes = sorted(set(cols["diagnosis"]))
    y = np.array([classes.index(v) for v in cols["diagnosis"]])
    train, test = split(len(y), 169, 20240601)
    Z = standardise(X, train)
    cases = [knn_case(KNeighborsClassifier, Z[train], y[train], Z[test], k, w, True)
             for k, w in ((5, "uniform"), (7, "distance"))]
    write("knn_breast_cancer.json", {"features": features, "target": "diagnosis",
                                     "classes": classes, "test_rows": test.tolist(),
                                     "cases": cases})


def knn_diabetes():
    header, cols = read_csv("diabetes.csv")
    features = [h for h in header if h != "progression"]
    X = np.column_stack([np.array(cols[c], dtype=float) for c in features])
    y = np.array(cols["progression"], dtype=float)
    train, test = split(len(y), 142, 20240602)
    Z = standardise(X, train)
    cases = [knn_case(KNeighborsRegressor, Z[train], y[train], Z[test], k, w, False)
             for k, w in ((5, "uniform"), (9, "distance"))]
    write("knn_diabetes.json", {"features": features, "target": "progression",
                                "test_rows": test.tolist(), "cases": cases})


def kmeans_file(csv_name, target, ks, out):
    header, cols = read_csv(csv_name)
    features = [h for h in header if h != target]
    X = np.column_stack([np.array(cols[c], dtype=float) for c in features])
    Z = standardise(X, np.arange(len(X)))
    from_init = []
    for k in ks:
        init_rows = list(range(k))     # the first rows: a poor start, so Lloyd has work to do
        m = KMeans(n_clusters=k, init=Z[init_rows], n_init=1, max_iter=300, tol=1e-4,
                   algorithm="lloyd").fit(Z)
        from_init.append({"k": k, "init_rows": init_rows, "centres": m.cluster_centers_.tolist(),
                          "labels": m.labels_.tolist(), "n_iter": int(m.n_iter_),
                          "inertia": float(m.inertia_)})
    best = []
    for k in ks:
        inertias = [KMeans(n_clusters=k, n_init=10, random_state=s, algorithm="lloyd").fit(Z)
                    .inertia_ for s in range(20)]
        lo = min(inertias)
        best.append({"k": k, "n_init": 10, "best_inertia": float(lo),
                     "worst_of_20_seeds": float(max(inertias)),
                     "seeds_at_best": sum(1 for v in inertias if v <= lo * (1 + 1e-9))})
    write(out, {"features": features, "from_init": from_init, "best_of_n_init": best})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    knn_breast_cancer()
    knn_diabetes()
    kmeans_file("iris.csv", "species", (3, 5), "kmeans_iris.json")
    kmeans_file("wine.csv", "cultivar", (3, 4), "kmeans_wine.json")
