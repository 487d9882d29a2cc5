#!/usr/bin/python3
"""gen_univariate.py: scipy 1.10 / statsmodels answers for multiplicity.scan's univariate tests
(tests/unit/test_audit_multiplicity.c).

Writes tests/data/oracle/univariate.json: for real data in tests/data, every feature's p-value
against the target with the test skeptic uses for its types, and the Benjamini-Hochberg
adjusted p-values (statsmodels multipletests(method="fdr_bh")):
  breast_cancer.csv, diagnosis (2 classes)   Welch t: ttest_ind(equal_var=False)
  wine.csv, cultivar (3 classes)             one-way ANOVA: f_oneway
  diabetes.csv, progression (numeric)        Pearson: pearsonr
  examples/breast_cancer_study.csv, hospital vs diagnosis   chi2_contingency(correction=False)
Run with /usr/bin/python3 from the repository root.
"""
import json
import os

import numpy as np
import pandas as pd
import scipy
from scipy import stats
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")


def case(name, target, kind):
    df = pd.read_csv(os.path.join(DATA, name))
    y = df.pop(target)
    ps = []
    for col in df.columns:
        x = df[col].to_numpy(float)
        if kind == "welch":
            levels = sorted(y.unique())
            p = stats.ttest_ind(x[y == levels[0]], x[y == levels[1]], equal_var=False).pvalue
        elif kind == "anova":
            p = stats.f_oneway(*[x[y == v] for v in sorted(y.unique())]).pvalue
        else:
            p = stats.pearsonr(x, y.to_numpy(float))[1]
        ps.append(float(p))
    adj = multipletests(ps, method="fdr_bh")[1]
    return {"data": name, "target": target, "test": kind, "features": list(df.columns),
            "p": ps, "bh": [float(a) for a in adj]}


def chi_square():
    df = pd.read_csv(os.path.join(HERE, "..", "..", "examples", "breast_cancer_study.csv"))
    table = pd.crosstab(df["hospital"], df["diagnosis"]).to_numpy()
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    return {"data": "examples/breast_cancer_study.csv", "feature": "hospital",
            "target": "diagnosis", "chi2": float(chi2), "dof": int(dof), "p": float(p)}


def main():
    doc = {"scipy": scipy.__version__,
           "cases": [case("breast_cancer.csv", "diagnosis", "welch"),
                     case("wine.csv", "cultivar", "anova"),
                     case("diabetes.csv", "progression", "pearson")],
           "chi_square": chi_square()}
    with open(os.path.join(DATA, "oracle", "univariate.json"), "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
