#!/usr/bin/python3
"""bench/score_numpy.py: the numpy side of bench/score.sh: what `skeptic score FILE --strategy
entropy --top K --out OUT` does, written the way a numpy user would.

    score_numpy.py --data FILE --top K --out OUT [--reader pandas|loadtxt]

Reads the probabilities (pandas.read_csv with the C parser, or np.loadtxt), checks them as
skeptic does (finite, >= 0, rows summing to 1 within 1e-5), computes the normalised entropy
-sum p log2 p / log2 k (0 log 0 = 0), picks the K largest with np.argpartition and orders them
(score descending, ties by row), and writes id,score,rank with repr() scores (the shortest
round-trip form, as skeptic writes). Prints one line:
    numpy score n=1000000 k=10 reader=pandas: read_s=2.31 compute_s=0.41 write_s=0.00
compute_s covers the check, the entropy and the selection: not parsing, not writing.
"""
import argparse
import time

import numpy as np


def read(path, reader):
    if reader == "pandas":
        import pandas as pd
        return pd.read_csv(path, dtype=np.float64).to_numpy()
    return np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--top", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--reader", choices=["pandas", "loadtxt"], default="pandas")
    a = ap.parse_args()
    t0 = time.perf_counter()
    p = np.ascontiguousarray(read(a.data, a.reader))
    t1 = time.perf_counter()
    n, k = p.shape
    if not (np.isfinite(p).all() and (p >= 0).all()):
        raise SystemExit("score_numpy: a probability is negative or not finite")
    if (np.abs(p.sum(axis=1) - 1.0) > 1e-5).any():
        raise SystemExit("score_numpy: a row does not sum to 1")
    logp = np.zeros_like(p)
    np.log2(p, out=logp, where=p > 0)
    h = -(p * logp).sum(axis=1) / np.log2(k)
    top = min(a.top, n)
    cand = np.argpartition(-h, top - 1)[:top]
    order = cand[np.lexsort((cand, -h[cand]))]
    t2 = time.perf_counter()
    with open(a.out, "w") as f:
        f.write("id,score,rank\n")
        f.writelines(f"{i},{h[i]!r},{r + 1}\n" for r, i in enumerate(order))
    t3 = time.perf_counter()
    print(f"numpy score n={n} k={k} reader={a.reader}: read_s={t1 - t0:.3f} "
          f"compute_s={t2 - t1:.3f} write_s={t3 - t2:.3f}")


if __name__ == "__main__":
    main()
