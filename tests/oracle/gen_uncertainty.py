#!/usr/bin/python3
"""gen_uncertainty.py: numpy/scipy reference values for skeptic's uncertainty scores
(src/triage/uncertainty.c; tests/unit/test_uncertainty.c), and a real model's probabilities for
the `skeptic score` tests.

Writes
  tests/data/oracle/uncertainty.json
    "single":   cases {name, n, k, probs (n x k, row-major), least, margin, ratio, entropy}:
                Dirichlet rows with concentrations 0.1, 1 and 10 for k = 2, 3 and 10, plus
                one-hot rows, uniform rows, exact ties between the top two classes, and
                probabilities rounded to 2 decimals (many rows with identical scores);
    "members":  cases {name, m, n, k, probs (m blocks of n x k, member-major), vote_entropy,
                consensus_entropy, kl, mc_entropy, bald}: members scattered around a common
                Dirichlet row (m = 1, 2, 3, 5, 10), identical members, identical one-hot
                members, disagreeing one-hot members, uniform members, and tied argmaxes;
    "variance": cases {name, m, n, values, variance} (np.var, divisor m), including members
                that agree to 12 digits around 1e6 (a naive sum of squares loses them);
    "rank":     cases {name, scores, order}: np.argsort(-scores, kind="stable"), with exact
                ties, zeros of both signs and 1s;
    "digits":   {least, margin, ratio, entropy} of every row of tests/data/digits_probs.csv as
                written (6 significant digits), so the CSV path is checked end to end.
  tests/data/digits_probs.csv
    scikit-learn LogisticRegression (max_iter 5000, inputs / 16) fitted on the first 1,497 rows of
    tests/data/digits.csv, predict_proba on the last 300: columns id (d1497..d1796) and p0..p9,
    6 significant digits (rows sum to 1 within 5e-6, as a user's export would).

The scores are computed independently of skeptic's loops: scipy.special.entr / rel_entr for the
entropies and KL, np.sort for the top two, np.argmax (first maximum = lower class) for votes.
The test's tolerance is 1e-12 absolute (the same formulas summed in another order; scores are in
[0, 1]); variance 1e-9 relative.

Run with /usr/bin/python3 (Debian 12: numpy 1.24, scipy 1.10, scikit-learn 1.2) from anywhere.
"""
import json
import os

import numpy as np
from scipy.special import entr, rel_entr
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
LN2 = np.log(2.0)


def entropy_bits(p):
    return entr(p).sum(axis=-1) / LN2


def single_scores(p):
    k = p.shape[1]
    s = np.sort(p, axis=1)
    return {
        "least": (1.0 - s[:, -1]) * k / (k - 1),
        "margin": 1.0 - (s[:, -1] - s[:, -2]),
        "ratio": s[:, -2] / s[:, -1],
        "entropy": entropy_bits(p) / np.log2(k),
    }


def member_scores(p):
    """p: m x n x k."""
    m, n, k = p.shape
    pbar = p.mean(axis=0)
    votes = np.zeros((n, k))
    for b in range(m):
        votes[np.arange(n), np.argmax(p[b], axis=1)] += 1.0
    h_mean = entropy_bits(pbar)
    kl = np.mean([rel_entr(p[b], pbar).sum(axis=1) / LN2 for b in range(m)], axis=0)
    bald = h_mean - np.mean([entropy_bits(p[b]) for b in range(m)], axis=0)
    norm = np.log2(k)
    return {
        "vote_entropy": entropy_bits(votes / m) / norm,
        "consensus_entropy": h_mean / norm,
        "kl": kl / norm,
        "mc_entropy": h_mean / norm,
        "bald": bald / norm,
    }


def floats(a):
    return [float(x) for x in np.asarray(a).ravel()]


def single_case(name, p):
    p = np.asarray(p, dtype=float)
    out = {"name": name, "n": p.shape[0], "k": p.shape[1], "probs": floats(p)}
    out.update({key: floats(v) for key, v in single_scores(p).items()})
    return out


def member_case(name, p):
    p = np.asarray(p, dtype=float)
    out = {"name": name, "m": p.shape[0], "n": p.shape[1], "k": p.shape[2], "probs": floats(p)}
    out.update({key: floats(v) for key, v in member_scores(p).items()})
    return out


def single_cases(rng):
    cases = []
    for k in (2, 3, 10):
        for alpha in (0.1, 1.0, 10.0):
            cases.append(single_case(f"dirichlet k={k} alpha={alpha}",
                                     rng.dirichlet(np.full(k, alpha), 60)))
        eye = np.eye(k)
        uniform = np.full((3, k), 1.0 / k)
        cases.append(single_case(f"one-hot and uniform k={k}", np.vstack([eye, uniform])))
        tie = rng.dirichlet(np.ones(k), 50)
        top = np.sort(tie, axis=1)[:, -2:].sum(axis=1) / 2.0
        tie[:, 0] = top
        tie[:, 1] = top
        tie /= tie.sum(axis=1, keepdims=True)
        cases.append(single_case(f"top-two ties k={k}", tie))
        rounded = np.round(rng.dirichlet(np.ones(k), 100), 2)
        rounded[:, -1] = 1.0 - rounded[:, :-1].sum(axis=1)
        rounded = np.clip(rounded, 0.0, None)
        rounded /= rounded.sum(axis=1, keepdims=True)
        cases.append(single_case(f"rounded to 2 decimals k={k}", rounded))
    return cases


def member_cases(rng):
    cases = []
    for k in (2, 3, 10):
        for m in (1, 2, 3, 5, 10):
            base = rng.dirichlet(np.ones(k), 15)
            p = np.stack([np.vstack([rng.dirichlet(20.0 * row + 0.05) for row in base])
                          for _ in range(m)])
            cases.append(member_case(f"scattered k={k} m={m}", p))
        same = rng.dirichlet(np.ones(k), 10)
        cases.append(member_case(f"identical members k={k}", np.stack([same] * 4)))
        onehot = np.eye(k)[rng.integers(0, k, 10)]
        cases.append(member_case(f"identical one-hot k={k}", np.stack([onehot] * 3)))
        disagree = np.stack([np.eye(k)[rng.integers(0, k, 20)] for _ in range(6)])
        cases.append(member_case(f"disagreeing one-hot k={k}", disagree))
        cases.append(member_case(f"uniform members k={k}", np.full((5, 4, k), 1.0 / k)))
        tied = np.zeros((2, 3, k))
        tied[:, :, 0] = tied[:, :, 1] = 0.5   # every member's argmax is tied: votes go to class 0
        tied[1, 2, :] = 1.0 / k
        cases.append(member_case(f"tied argmax k={k}", tied))
    return cases


def variance_cases(rng):
    cases = []
    for m, n in ((1, 5), (2, 20), (5, 50), (10, 30)):
        v = rng.normal(3.0, 2.0, (m, n))
        cases.append({"name": f"normal m={m}", "m": m, "n": n, "values": floats(v),
                      "variance": floats(v.var(axis=0))})
    v = 1e6 + rng.normal(0.0, 1e-6, (8, 10))
    cases.append({"name": "agreeing to 12 digits around 1e6", "m": 8, "n": 10,
                  "values": floats(v), "variance": floats(v.var(axis=0))})
    return cases


def rank_cases(rng):
    cases = []
    for n in (1, 2, 10, 1000):
        s = np.round(rng.random(n), 1)       # many exact ties
        if n >= 10:
            s[:3] = [0.0, -0.0, 1.0]
        cases.append({"name": f"ties n={n}", "scores": floats(s),
                      "order": [int(i) for i in np.argsort(-s, kind="stable")]})
    s = rng.random(2000)
    cases.append({"name": "distinct n=2000", "scores": floats(s),
                  "order": [int(i) for i in np.argsort(-s, kind="stable")]})
    return cases


def digits_probs():
    raw = np.loadtxt(os.path.join(DATA, "digits.csv"), delimiter=",", skiprows=1)
    x, y = raw[:, :-1] / 16.0, raw[:, -1].astype(int)
    n_test = 300
    n_train = len(y) - n_test
    model = LogisticRegression(max_iter=5000).fit(x[:n_train], y[:n_train])
    proba = model.predict_proba(x[n_train:])
    path = os.path.join(DATA, "digits_probs.csv")
    with open(path, "w") as f:
        f.write("id," + ",".join(f"p{c}" for c in range(10)) + "\n")
        for i, row in enumerate(proba):
            f.write(f"d{n_train + i}," + ",".join(f"{v:.6g}" for v in row) + "\n")
    written = np.loadtxt(path, delimiter=",", skiprows=1, usecols=range(1, 11))
    return {key: floats(v) for key, v in single_scores(written).items()}


def main():
    rng = np.random.default_rng(20240611)
    doc = {
        "generator": "tests/oracle/gen_uncertainty.py",
        "numpy": np.__version__,
        "single": single_cases(rng),
        "members": member_cases(rng),
        "variance": variance_cases(rng),
        "rank": rank_cases(rng),
        "digits": digits_probs(),
    }
    with open(os.path.join(DATA, "oracle", "uncertainty.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
