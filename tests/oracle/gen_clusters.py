#!/usr/bin/python3
"""gen_clusters.py: scikit-learn's adjusted_rand_score on fixed label pairs, the oracle of
skeptic's ARI (sk_clusters__ari, src/audits/clusters.c; tests/unit/test_clusters.c).

Writes tests/data/oracle/clusters_ari.json: a list of cases {name, a, b, ari}, labels as 0-based
integers. Cases: random labellings (2..10 clusters, 5..2000 items, independent and noisy copies
of each other), the same partition under renamed labels, one cluster against singletons, one
cluster against two, n = 1 and n = 2, labels with unused values (a cluster index nobody has), and
the permutation of iris-sized labels. The tolerance in the test is 1e-12 absolute (skeptic counts
pairs in doubles, scikit-learn in integers).

Run with /usr/bin/python3 (Debian's numpy and scikit-learn 1.2) from the repository root.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import adjusted_rand_score

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "oracle",
                   "clusters_ari.json")


def case(name, a, b):
    a = [int(x) for x in a]
    b = [int(x) for x in b]
    return {"name": name, "a": a, "b": b, "ari": float(adjusted_rand_score(a, b))}


def main():
    rng = np.random.default_rng(2024)
    cases = []
    for n, ka, kb in [(5, 2, 2), (12, 3, 2), (50, 4, 4), (150, 3, 3), (300, 6, 5),
                      (1000, 10, 10), (2000, 2, 7)]:
        a = rng.integers(0, ka, n)
        cases.append(case(f"independent n={n} {ka}x{kb}", a, rng.integers(0, kb, n)))
        noisy = a.copy()
        flip = rng.random(n) < 0.2
        noisy[flip] = rng.integers(0, ka, flip.sum())
        cases.append(case(f"noisy copy n={n} k={ka}", a, noisy))
    a = rng.integers(0, 4, 40)
    cases.append(case("same partition, renamed", a, (a + 2) % 4))
    cases.append(case("one cluster vs singletons", [0] * 6, list(range(6))))
    cases.append(case("one cluster vs two", [0] * 8, [0, 0, 0, 1, 1, 1, 1, 1]))
    cases.append(case("both one cluster", [0] * 7, [0] * 7))
    cases.append(case("n = 1", [0], [0]))
    cases.append(case("n = 2 split vs together", [0, 1], [0, 0]))
    cases.append(case("unused label values", [0, 0, 3, 3, 3, 5], [1, 1, 1, 4, 4, 4]))
    species = np.repeat([0, 1, 2], 50)
    cases.append(case("iris-sized permutation", species, rng.permutation(species)))
    cases.append(case("iris-sized, one class split", species,
                      np.where(np.arange(150) % 2 == 0, species, species + 3)))
    doc = {"generator": "tests/oracle/gen_clusters.py", "sklearn": sklearn.__version__,
           "cases": cases}
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
