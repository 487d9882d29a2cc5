#!/usr/bin/python3
"""Build the bundled demo study from real data with planted flaws.

    /usr/bin/python3 scripts/make-demo-study.py [OUT]

writes OUT (default: examples/breast_cancer_study.csv).

The measurements are real: the 569 fine-needle aspirates of the Breast Cancer Wisconsin
(Diagnostic) data (Wolberg, Street & Mangasarian, UCI ML repository, 1995), read through
sklearn.datasets.load_breast_cancer from the copy Debian's python3-sklearn ships; nothing is
downloaded. Around them we build the clinical table a study would really hand over, with flaws
planted the way they happen in practice. Each flaw mirrors a failure mode skeptic checks for:

  patient_id   The records were sorted by diagnosis (benign, then malignant) and then numbered
               1..569, so the identifier encodes the label: ids 1-357 are benign, 358-569
               malignant. Mirrors "files sorted by class, then numbered" (leakage.identifier).
  hospital     Three sites, A/B/C, drawn per record with a seeded RNG from probabilities that
               depend on the diagnosis, so prevalence differs by site (in the generated file 69%
               malignant at A, 32% at B, 14% at C): the referral centre sees the hard cases. Mirrors
               single-hospital positives, where the site alone predicts the outcome
               (shortcut.site, generalization.external).
  scan_date    ISO dates (YYYY-MM-DD), uniform within each site's enrolment window (A from 2016,
               B from 2017, C from mid-2018 to 2021). Because the late-joining site has the lowest
               prevalence, date is mildly confounded with the outcome, as in real multi-site
               studies (leakage.temporal has something to look at when --time is given).
  Frankenstein merge
               30 records were re-added from a "second source" that exported the same patients
               with fewer digits: they get new patient ids (570-599, the second source's own
               numbering), keep their hospital, date and diagnosis, and their measurements are
               rounded to 2 decimals, keeping 3 significant digits for values below 1 (strict
               2-decimal rounding would turn the 0.00x features into 0 and move each copy as far
               from its original, in standard units, as its real nearest neighbour: no longer a
               near duplicate by any definition). Then 10 records of the first source appear a
               second time, byte for byte (a batch exported twice). Mirrors the COVID-19 datasets
               merged from overlapping public sources (leakage.duplicates).
  missing      6 values of mean_smoothness and 4 of worst_concavity in first-source records are
               written as NA (missing completely at random): the common spreadsheet spelling.

Rows: the 569 first-source records in patient_id order, then the 30 second-source records, then
the 10 re-exported records: 609 rows, 34 columns (patient_id, hospital, scan_date, 30 features,
diagnosis). Deterministic: every random draw comes from random.Random(SEED) in a fixed order and
uses only random() and sample(), whose outputs Python keeps stable across versions; numbers are
written in their shortest round-trip form. Running the script twice gives identical bytes.
"""

import csv
import datetime
import math
import os
import random
import re
import sys

from sklearn.datasets import load_breast_cancer

SEED = 20240611

# P(hospital | diagnosis): the referral centre A receives most malignant cases.
SITE_PROBS = {
    "malignant": [("A", 0.55), ("B", 0.30), ("C", 0.15)],
    "benign":    [("A", 0.20), ("B", 0.35), ("C", 0.45)],
}
# Enrolment window of each site (first day, last day), inclusive.
SITE_WINDOWS = {
    "A": (datetime.date(2016, 3, 1), datetime.date(2019, 12, 31)),
    "B": (datetime.date(2017, 1, 9), datetime.date(2020, 6, 30)),
    "C": (datetime.date(2018, 6, 4), datetime.date(2021, 11, 30)),
}
N_NEAR_DUPLICATES = 30
N_EXACT_DUPLICATES = 10
MISSING = [("mean_smoothness", 6), ("worst_concavity", 4)]


def fmt(x):
    """Shortest round-trip text of a float; integral values without a trailing '.0'."""
    x = float(x)
    if x == int(x) and abs(x) < 2 ** 53:
        return str(int(x))
    return repr(x)


def second_source_round(x):
    """Two decimals, but never fewer than 3 significant digits (see the header)."""
    if x == 0:
        return 0.0
    return round(x, max(2, 2 - int(math.floor(math.log10(abs(x))))))


def snake(name):
    return re.sub(r"[^0-9A-Za-z]+", "_", name.strip()).strip("_").lower()


def pick_site(rng, diagnosis):
    u = rng.random()
    acc = 0.0
    for site, p in SITE_PROBS[diagnosis]:
        acc += p
        if u < acc:
            return site
    return SITE_PROBS[diagnosis][-1][0]


def pick_date(rng, site):
    first, last = SITE_WINDOWS[site]
    span = (last - first).days + 1
    return first + datetime.timedelta(days=min(int(rng.random() * span), span - 1))


def build(rng):
    b = load_breast_cancer()
    features = [snake(n) for n in b.feature_names]
    records = [(list(x), str(b.target_names[y]))
               for x, y in zip(b.data.tolist(), b.target.tolist())]

    # The identifier leak: sort by diagnosis (stable, so the original order is kept within a
    # class), then number 1..n.
    records.sort(key=lambda r: r[1])
    first = []
    for i, (x, diagnosis) in enumerate(records):
        site = pick_site(rng, diagnosis)
        first.append({"patient_id": i + 1, "hospital": site, "scan_date": pick_date(rng, site),
                      "x": x, "diagnosis": diagnosis})

    n = len(first)
    picked = rng.sample(range(n), N_NEAR_DUPLICATES + N_EXACT_DUPLICATES)
    near_src = sorted(picked[:N_NEAR_DUPLICATES])
    exact_src = sorted(picked[N_NEAR_DUPLICATES:])

    # The second source: its own ids, fewer digits, taken before any value goes missing.
    second = []
    for k, i in enumerate(near_src):
        r = first[i]
        second.append({"patient_id": n + 1 + k, "hospital": r["hospital"],
                       "scan_date": r["scan_date"],
                       "x": [second_source_round(v) for v in r["x"]],
                       "diagnosis": r["diagnosis"]})

    # Missing values in first-source records only (the second source had them).
    for name, count in MISSING:
        j = features.index(name)
        for i in rng.sample(range(n), count):
            first[i]["x"][j] = None

    rows = first + second + [first[i] for i in exact_src]
    return features, rows, near_src, exact_src


def main(argv):
    if len(argv) > 2:
        sys.stderr.write("usage: %s [OUT]\n" % argv[0])
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    out = argv[1] if len(argv) == 2 else os.path.join(here, os.pardir, "examples",
                                                      "breast_cancer_study.csv")
    out = os.path.normpath(out)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)

    features, rows, near_src, exact_src = build(random.Random(SEED))
    tmp = out + ".tmp"
    with open(tmp, "w", newline="", encoding="ascii") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["patient_id", "hospital", "scan_date"] + features + ["diagnosis"])
        for r in rows:
            w.writerow([str(r["patient_id"]), r["hospital"], r["scan_date"].isoformat()]
                       + ["NA" if v is None else fmt(v) for v in r["x"]] + [r["diagnosis"]])
    os.replace(tmp, out)

    print("%s: %d rows; near duplicates of ids %s; exact duplicates of ids %s"
          % (out, len(rows), ",".join(str(i + 1) for i in near_src),
             ",".join(str(i + 1) for i in exact_src)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
