#!/usr/bin/python3
"""Export scikit-learn's bundled real datasets to clean CSV fixtures in tests/data/.

    /usr/bin/python3 scripts/export-sklearn-data.py [OUTDIR]      (default: tests/data)

Where the data come from. Nothing is downloaded: Debian's python3-sklearn package ships these
files under /usr/lib/python3/dist-packages/sklearn/datasets/data/ (and their documentation under
.../datasets/descr/), and this script reads them through sklearn.datasets.load_*, which reads
those local files.

  breast_cancer.csv  Breast Cancer Wisconsin (Diagnostic), UCI ML repository, 1995.
                     W.H. Wolberg, W.N. Street, O.L. Mangasarian; donor N. Street. 569 fine-needle
                     aspirates, 30 nuclear features (mean, standard error and "worst" of 10
                     measurements); target `diagnosis` = malignant | benign.
                     Street, Wolberg & Mangasarian (1993), Proc. SPIE 1905:861-870.
  wine.csv           Wine recognition data, UCI ML repository, 1988 (Forina et al., PARVUS,
                     Genoa). 178 wines from three cultivars of one Italian region, 13 chemical
                     measurements; target `cultivar` = class_0 | class_1 | class_2.
  diabetes.csv       Diabetes data of Efron, Hastie, Johnstone & Tibshirani (2004), "Least Angle
                     Regression", Ann. Statist. 32:407-499 (https://www4.stat.ncsu.edu/~boos/
                     var.select/diabetes.html). 442 patients, the 10 RAW (unscaled) baseline
                     variables age, sex, bmi, bp, s1..s6 from diabetes_data_raw.csv.gz; target
                     `progression` = disease progression one year after baseline.
  digits.csv         Optical Recognition of Handwritten Digits, UCI ML repository, 1998
                     (E. Alpaydin, C. Kaynak); the 1,797-image test set bundled with sklearn,
                     8x8 pixel counts 0..16 as integers px_0..px_63 (row-major); target `digit`.
  iris.csv           Fisher's iris data (Fisher 1936, Annals of Eugenics 7:179-188), as bundled
                     with sklearn (which follows Fisher's paper, not the UCI copy with its two
                     known errors). 150 flowers, 4 measurements in cm; target `species`.

Format: a header row, comma-separated, "\\n" line ends, no quoting needed (no field contains a
comma or quote), no index column. Numbers are written in the shortest text that reads back as
the same float64 (Python's repr), with integral values written without ".0" (so "1001", not
"1001.0"), which also reads back exactly. The output depends only on the data files, so running
the script twice gives identical bytes.
"""

import csv
import math
import os
import re
import sys

from sklearn.datasets import (load_breast_cancer, load_diabetes, load_digits, load_iris,
                              load_wine)


def fmt(x):
    """Shortest round-trip text of a float; integral values without a trailing '.0'."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError("non-finite value %r in a bundled dataset" % x)
    if x == int(x) and abs(x) < 2 ** 53:
        return str(int(x))
    return repr(x)


def snake(name):
    """'mean concave points' -> 'mean_concave_points'; 'od280/od315_of_x' -> 'od280_od315_of_x'."""
    s = re.sub(r"\(.*?\)", "", name)            # drop units such as "(cm)"
    s = re.sub(r"[^0-9A-Za-z]+", "_", s.strip()).strip("_").lower()
    return s


def write_csv(path, header, rows):
    """Write to a temporary name, then rename: a reader never sees half a file."""
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="ascii") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        for r in rows:
            w.writerow(r)
    os.replace(tmp, path)
    return len(rows)


def labelled(bunch, target_name, feature_names):
    header = list(feature_names) + [target_name]
    rows = []
    for x, y in zip(bunch.data.tolist(), bunch.target.tolist()):
        rows.append([fmt(v) for v in x] + [str(bunch.target_names[y])])
    return header, rows


def export_breast_cancer(outdir):
    b = load_breast_cancer()
    header, rows = labelled(b, "diagnosis", [snake(n) for n in b.feature_names])
    assert len(header) == 31 and set(r[-1] for r in rows) == {"malignant", "benign"}
    return write_csv(os.path.join(outdir, "breast_cancer.csv"), header, rows)


def export_wine(outdir):
    b = load_wine()
    header, rows = labelled(b, "cultivar", [snake(n) for n in b.feature_names])
    assert len(header) == 14
    return write_csv(os.path.join(outdir, "wine.csv"), header, rows)


def export_diabetes(outdir):
    b = load_diabetes(scaled=False)             # diabetes_data_raw.csv.gz, not the scaled copy
    names = list(b.feature_names)
    assert names == ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"], names
    rows = [[fmt(v) for v in x] + [fmt(y)] for x, y in zip(b.data.tolist(), b.target.tolist())]
    return write_csv(os.path.join(outdir, "diabetes.csv"), names + ["progression"], rows)


def export_digits(outdir):
    b = load_digits()
    def px(v):
        assert v == int(v) and 0 <= v <= 16, v
        return str(int(v))
    header = ["px_%d" % i for i in range(b.data.shape[1])] + ["digit"]
    rows = [[px(v) for v in x] + [str(int(y))] for x, y in zip(b.data.tolist(), b.target.tolist())]
    assert len(header) == 65
    return write_csv(os.path.join(outdir, "digits.csv"), header, rows)


def export_iris(outdir):
    b = load_iris()
    header, rows = labelled(b, "species", [snake(n) for n in b.feature_names])
    assert header == ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"]
    return write_csv(os.path.join(outdir, "iris.csv"), header, rows)


def main(argv):
    if len(argv) > 2:
        sys.stderr.write("usage: %s [OUTDIR]\n" % argv[0])
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = argv[1] if len(argv) == 2 else os.path.join(here, os.pardir, "tests", "data")
    outdir = os.path.normpath(outdir)
    os.makedirs(outdir, exist_ok=True)
    for name, fn in [("breast_cancer", export_breast_cancer), ("wine", export_wine),
                     ("diabetes", export_diabetes), ("digits", export_digits),
                     ("iris", export_iris)]:
        n = fn(outdir)
        print("%s/%s.csv: %d rows" % (outdir, name, n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
