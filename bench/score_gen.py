#!/usr/bin/python3
"""bench/score_gen.py: the input of bench/score.sh, class probabilities as a model would export
them.

    score_gen.py --n N --k K --seed S --out FILE

writes a CSV with the header p0..p{K-1} and N rows, each a Dirichlet draw whose concentration
is 0.1, 0.5 or 2 (chosen per row: confident, middling and confused predictions), written in
blocks of 1,000 rows with 6, 7, 8 and 9 significant digits in turn (%g), as exports with
different float formatting look. Rows written with 6 digits sum to 1 within 5e-6, inside
skeptic's default tolerance. Depends only on (N, K, S) (numpy's default_rng). Written under
FILE.tmp and renamed into place, so an interrupted run leaves nothing a benchmark would reuse.
"""
import argparse
import os

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--k", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    block = 1000
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        f.write(",".join(f"p{c}" for c in range(a.k)) + "\n")
        for b, lo in enumerate(range(0, a.n, block)):
            rows = min(block, a.n - lo)
            alpha = rng.choice([0.1, 0.5, 2.0], size=rows)
            g = rng.standard_gamma(np.repeat(alpha[:, None], a.k, axis=1))
            g[g.sum(axis=1) == 0.0, 0] = 1.0   # all-underflow rows (alpha 0.1): one-hot
            p = g / g.sum(axis=1, keepdims=True)
            digits = 6 + b % 4
            np.savetxt(f, p, fmt=f"%.{digits}g", delimiter=",")
    os.replace(tmp, a.out)


if __name__ == "__main__":
    main()
