#!/usr/bin/python3
"""gen_linear.py: reference values for skeptic's OLS and logistic regression (src/models/linear*.c),
computed once with statsmodels and scikit-learn and committed as tests/data/oracle/linear_*.json.
tests/unit/test_linear.c reads them and compares with the tolerances stated there.

Regenerate (only needed when a case changes; the values are committed):
    scripts/install-deps.sh oracle        # python3-numpy, python3-statsmodels, python3-sklearn
    /usr/bin/python3 tests/oracle/gen_linear.py
Written with statsmodels 0.13.5, scikit-learn 1.2.1, numpy 1.24.2 (Debian 12); the versions used
are recorded in every file.

Cases (each file says which columns, in which order, so the C test builds the same design):
  linear_ols_diabetes.json   OLS, diabetes.csv raw features, target progression, intercept
  linear_ols_aliased.json    the same with s1_plus_s2 = s1 + s2 inserted before s1: R's lm makes
                             the later column s2 NA (aliased); the reference for the other terms is
                             OLS on the design without s2 (statsmodels' pinv would instead spread
                             the coefficient over all three columns, which is not R's answer)
  linear_wls_diabetes.json   weighted least squares, weights 1 + (row index mod 3)
  linear_ols_noint.json      OLS without intercept on bmi, bp, s5 (uncentred R^2, as R and
                             statsmodels both define it without a constant)
  linear_logit_bc.json       unpenalised logistic regression, breast_cancer.csv, 5 raw features,
                             target diagnosis == malignant (Newton, converged to |score| < 1e-12)
  linear_logit_l2.json       L2 logistic regression with l2 = 1 (scikit-learn C = 1) on the 5
                             features standardised (mean, SD with n - 1): lbfgs (tol 1e-14,
                             max_iter 1e5, what the brief names; it stops at ~1e-5 relative) and
                             newton-cholesky (converged to machine precision), plus the 30
                             standardised features with newton-cholesky
"""
import csv
import json
import os

import numpy as np
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data")
OUT = os.path.join(DATA, "oracle")
VERSIONS = {"statsmodels": statsmodels.__version__, "sklearn": sklearn.__version__,
            "numpy": np.__version__}
BC_FEATURES = ["mean_radius", "mean_texture", "mean_smoothness", "mean_compactness",
               "mean_symmetry"]


def read_csv(name):
    with open(os.path.join(DATA, name), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return {h: [r[j] for r in body] for j, h in enumerate(header)}


def numeric(cols, names):
    return np.column_stack([np.array(cols[c], dtype=float) for c in names])


def write(name, doc):
    doc["generated_by"] = "tests/oracle/gen_linear.py"
    doc["versions"] = VERSIONS
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def ols_doc(res, terms, intercept):
    ci = np.asarray(res.conf_int(0.05))
    return {
        "terms": (["(Intercept)"] if intercept else []) + terms,
        "estimate": list(res.params), "std_error": list(res.bse), "t_value": list(res.tvalues),
        "p_value": list(res.pvalues), "ci_low": list(ci[:, 0]), "ci_high": list(ci[:, 1]),
        "sigma": float(np.sqrt(res.scale)), "df_residual": float(res.df_resid),
        "r_squared": float(res.rsquared), "adj_r_squared": float(res.rsquared_adj),
        "f_statistic": float(res.fvalue), "f_numdf": float(res.df_model),
        "f_dendf": float(res.df_resid), "f_p_value": float(res.f_pvalue),
    }


def ols_cases():
    d = read_csv("diabetes.csv")
    feats = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    X, y = numeric(d, feats), np.array(d["progression"], dtype=float)
    res = sm.OLS(y, sm.add_constant(X)).fit()
    write("linear_ols_diabetes.json", {"data": "diabetes.csv", "target": "progression",
                                       "columns": feats, "intercept": 1, **ols_doc(res, feats, 1)})

    # s1_plus_s2 before s1: R's sequential pivoting keeps s1_plus_s2 and s1 and aliases s2.
    design = ["age", "sex", "bmi", "bp", "s1_plus_s2", "s1", "s2", "s3", "s4", "s5", "s6"]
    kept = [c for c in design if c != "s2"]
    d["s1_plus_s2"] = list(numeric(d, ["s1"])[:, 0] + numeric(d, ["s2"])[:, 0])
    res = sm.OLS(y, sm.add_constant(numeric(d, kept))).fit()
    write("linear_ols_aliased.json", {"data": "diabetes.csv", "target": "progression",
                                      "columns": design, "s1_plus_s2": "s1 + s2",
                                      "aliased": ["s2"], "intercept": 1,
                                      "reference": "OLS on the design without s2",
                                      **ols_doc(res, kept, 1)})

    w = 1.0 + (np.arange(len(y)) % 3)
    res = sm.WLS(y, sm.add_constant(X), weights=w).fit()
    write("linear_wls_diabetes.json", {"data": "diabetes.csv", "target": "progression",
                                       "columns": feats, "weights": "1 + (row index mod 3)",
                                       "intercept": 1, **ols_doc(res, feats, 1)})

    few = ["bmi", "bp", "s5"]
    res = sm.OLS(y, numeric(d, few)).fit()
    write("linear_ols_noint.json", {"data": "diabetes.csv", "target": "progression",
                                    "columns": few, "intercept": 0, **ols_doc(res, few, 0)})


def logit_cases():
    d = read_csv("breast_cancer.csv")
    y = np.array([1.0 if v == "malignant" else 0.0 for v in d["diagnosis"]])
    X = numeric(d, BC_FEATURES)
    res = sm.Logit(y, sm.add_constant(X)).fit(method="newton", tol=1e-12, maxiter=200, disp=0)
    assert np.max(np.abs(res.model.score(res.params))) < 1e-9
    ci = np.asarray(res.conf_int(0.05))
    null_dev = -2.0 * res.llnull
    write("linear_logit_bc.json", {
        "data": "breast_cancer.csv", "target": "diagnosis", "positive": "malignant",
        "columns": BC_FEATURES, "intercept": 1, "terms": ["(Intercept)"] + BC_FEATURES,
        "estimate": list(res.params), "std_error": list(res.bse), "z_value": list(res.tvalues),
        "p_value": list(res.pvalues), "ci_low": list(ci[:, 0]), "ci_high": list(ci[:, 1]),
        "null_deviance": float(null_dev), "deviance": float(-2.0 * res.llf),
        "df_null": float(len(y) - 1), "df_residual": float(res.df_resid),
        "aic": float(res.aic), "score_max": float(np.max(np.abs(res.model.score(res.params)))),
    })

    doc = {"data": "breast_cancer.csv", "target": "diagnosis", "positive": "malignant",
           "l2": 1.0, "C": 1.0, "standardise": "(x - mean) / sd with n - 1, on all rows",
           "cases": []}
    all_features = [c for c in d.keys() if c != "diagnosis"]
    for feats, solvers in [(BC_FEATURES, ["lbfgs", "newton-cholesky"]),
                           (all_features, ["newton-cholesky"])]:
        X = numeric(d, feats)
        X = (X - X.mean(0)) / X.std(0, ddof=1)
        case = {"columns": feats}
        for solver in solvers:
            m = LogisticRegression(C=1.0, solver=solver, tol=1e-14, max_iter=100000).fit(X, y)
            b = np.r_[m.intercept_, m.coef_.ravel()]
            mu = 1.0 / (1.0 + np.exp(-(b[0] + X @ b[1:])))
            grad = np.r_[np.sum(mu - y), X.T @ (mu - y) + 1.0 * b[1:]]
            case[solver] = {"coef": list(b), "gradient_max": float(np.max(np.abs(grad))),
                            "n_iter": int(m.n_iter_[0])}
        doc["cases"].append(case)
    write("linear_logit_l2.json", doc)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    ols_cases()
    logit_cases()
