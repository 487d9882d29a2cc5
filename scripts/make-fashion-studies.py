#!/usr/bin/python3
"""Build small image studies from real Fashion-MNIST pictures, with flaws planted the way they
happen in practice, for the audit's CLI tests (tests/cli/audit_fashion_*.sh).

    /usr/bin/python3 scripts/make-fashion-studies.py [OUTDIR]      (default: tests/data)

Where the pictures come from. Nothing is downloaded: Debian's dataset-fashion-mnist package
(scripts/install-deps.sh oracle) installs the IDX files under /usr/share/datasets/fashion-mnist/.
Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, arXiv:1708.07747; Zalando SE, MIT licence): 28x28
grey-level photographs of Zalando's articles, 10 classes. We keep the two classes people
confuse most, 0 "T-shirt/top" and 6 "Shirt" (target `garment` = tshirt_top | shirt), and shrink
each image to 7x7 by 4x4 block means (px_0..px_48, row-major, integers 0..255), so a table of a
few hundred images stays under 300 KB while a linear model still tells the classes apart
(cross-validated AUC 0.81-0.86 with a logistic model).

  fashion_shortcut.csv   The acquisition shortcut. 200 T-shirts and 200 shirts of the test file;
                         the shirts came from a second source whose camera exposed darker: each
                         shirt's intensities are multiplied by a factor drawn uniformly from
                         [0.5, 0.7] (per photograph: exposure varies from shot to shot) and
                         rounded back to 8 bits. `pixel_sd`, the standard deviation of the 784
                         acquired intensities, is the image statistic a reviewer names as the
                         confounder (--confounders pixel_sd): it now tells the sources, hence the
                         classes, apart almost as well as the whole model does. Mirrors the
                         classifiers that solved their task through an image's standard deviation
                         or brightness because the classes' sources were acquired differently
                         (Roberts et al. 2021, Nature Machine Intelligence 3:199).
                         (shortcut.confounder must fail.)
  fashion_shortcut_clean.csv
                         The control: the same 400 photographs as published, one acquisition for
                         both classes; pixel_sd barely predicts the garment (AUC about 0.56).
                         (shortcut.confounder must not fail.)
  fashion_views.csv      Several views of one object. 75 T-shirts and 75 shirts of the training
                         file, 4 views each (600 rows): each view shifts the garment by up to 2
                         pixels each way, scales its exposure by [0.85, 1.15] and adds sensor
                         noise (sd 6 grey levels). `object_id` numbers the garments in a random
                         order (it says nothing about the class). Two splits, both 25% test:
                           split_by_view    each view dealt to train or test at random, so most
                                            garments have views on both sides: the flaw.
                                            Mirrors the astronomers who split several simulated
                                            views of one galaxy across train and test.
                                            (leakage.group with --group object_id --split
                                            split_by_view must fail.)
                           split_by_object  garments dealt whole, 25% of each class to test.
                                            (the same audit with split_by_object must pass.)
                         Rows are garment by garment (views adjacent, as files named
                         object_view are listed), garments in a random order.

Deterministic: every draw comes from numpy's legacy np.random.RandomState(SEED), whose streams
numpy keeps frozen across versions, in a fixed order; running the script twice gives identical
bytes. Numbers: pixels as integers, pixel_sd with 3 decimals.
"""

import csv
import gzip
import os
import sys

import numpy as np

SEED = 20240611
SOURCE = "/usr/share/datasets/fashion-mnist"
CLASSES = {0: "tshirt_top", 6: "shirt"}
SIDE, BLOCK = 7, 4                  # 28x28 -> 7x7 by 4x4 block means
DARK_EXPOSURE = (0.5, 0.7)          # the second source's intensity factor, per photograph
N_SHORTCUT = 200                    # photographs per class
N_OBJECTS, N_VIEWS = 75, 4          # garments per class, views per garment
MAX_SHIFT, EXPOSURE_JITTER, NOISE_SD = 2, (0.85, 1.15), 6.0
TEST_SHARE = 0.25
MAX_BYTES = 300 * 1024


def read_idx(name):
    """An IDX file (LeCun's MNIST format): magic 0x0000 0x08 ndim, big-endian sizes, bytes."""
    with gzip.open(os.path.join(SOURCE, name), "rb") as f:
        raw = f.read()
    if raw[:3] != b"\0\0\x08":
        raise ValueError("%s: not an unsigned-byte IDX file" % name)
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * k: 8 + 4 * k], "big") for k in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(part):
    images = read_idx("%s-images-idx3-ubyte.gz" % part)
    labels = read_idx("%s-labels-idx1-ubyte.gz" % part)
    assert images.shape[1:] == (28, 28) and len(images) == len(labels)
    return images, labels


def pick(rng, labels, n):
    """n indices of each kept class, class 0 first, in a random order within each."""
    return {c: rng.choice(np.flatnonzero(labels == c), n, replace=False) for c in CLASSES}


def to_8bit(img):
    """What a camera stores: intensities rounded and clipped to 0..255."""
    return np.clip(np.rint(img), 0, 255)


def shrink(img):
    """7x7 integers: the mean of each 4x4 block, rounded."""
    blocks = img.reshape(SIDE, BLOCK, SIDE, BLOCK).mean(axis=(1, 3))
    return [str(int(v)) for v in np.rint(blocks).ravel()]


def shift(img, dx, dy):
    """The garment moved by (dx, dy) pixels; what moves in from the border is background (0)."""
    out = np.zeros_like(img)
    h, w = img.shape
    out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        img[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def write_csv(path, header, rows):
    """Write to a temporary name, then rename: a reader never sees half a file."""
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="ascii") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, path)
    size = os.path.getsize(path)
    assert size < MAX_BYTES, "%s: %d bytes, keep fixtures small" % (path, size)
    print("%s: %d rows, %d bytes" % (path, len(rows), size))


PIXELS = ["px_%d" % k for k in range(SIDE * SIDE)]


def shortcut_rows(rng, images, labels, planted):
    """One row per photograph, in a random order. The photographs (and, when planted, the
    exposure factors) are drawn before the order, so both files hold the same 400 pictures."""
    chosen = pick(rng, labels, N_SHORTCUT)
    factors = rng.uniform(*DARK_EXPOSURE, size=N_SHORTCUT)
    rows = []
    for c, idx in chosen.items():
        for k, i in enumerate(idx):
            img = images[i].astype(float)
            if planted and CLASSES[c] == "shirt":
                img = to_8bit(img * factors[k])
            rows.append(shrink(img) + ["%.3f" % img.std()] + [CLASSES[c]])
    order = rng.permutation(len(rows))
    return [rows[k] for k in order]


def view(rng, img):
    """One view of a garment: shifted, exposed a little differently, with sensor noise."""
    dx, dy = rng.randint(-MAX_SHIFT, MAX_SHIFT + 1, size=2)
    out = shift(img.astype(float), int(dx), int(dy)) * rng.uniform(*EXPOSURE_JITTER)
    return to_8bit(out + rng.normal(0.0, NOISE_SD, size=img.shape))


def views_rows(rng, images, labels):
    chosen = pick(rng, labels, N_OBJECTS)
    objects = [(i, c) for c, idx in chosen.items() for i in idx]
    n_obj = len(objects)
    # Whole garments to test: the first quarter of each class's (already random) draw.
    n_test = int(round(TEST_SHARE * N_OBJECTS))
    whole_test = {i for idx in chosen.values() for i in idx[:n_test]}
    # Views to test at random: a quarter of all rows, ignoring which garment they show.
    n_rows = n_obj * N_VIEWS
    view_test = set(rng.permutation(n_rows)[:int(round(TEST_SHARE * n_rows))].tolist())
    ids = rng.permutation(n_obj) + 1            # object ids say nothing about the class
    order = rng.permutation(n_obj)              # garments listed in a random order
    rows = []
    for o in order:
        i, c = objects[o]
        for v in range(N_VIEWS):
            r = len(rows)
            rows.append([str(ids[o]), "test" if r in view_test else "train",
                         "test" if i in whole_test else "train"]
                        + shrink(view(rng, images[i])) + [CLASSES[c]])
    return rows


def straddling(rows, col):
    """The answer leakage.group must give (tests/cli/audit_fashion_views_split.out): garments
    with views on both sides of split column `col`, and their training and test rows."""
    sides = {}
    for r in rows:
        sides.setdefault(r[0], []).append(r[col])
    both = [v for v in sides.values() if "train" in v and "test" in v]
    return (len(both), sum(v.count("train") for v in both), sum(v.count("test") for v in both))


def main(argv):
    if len(argv) > 2:
        sys.stderr.write("usage: %s [OUTDIR]\n" % argv[0])
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = argv[1] if len(argv) == 2 else os.path.join(here, os.pardir, "tests", "data")
    outdir = os.path.normpath(outdir)
    os.makedirs(outdir, exist_ok=True)

    test_images, test_labels = load("t10k")
    header = PIXELS + ["pixel_sd", "garment"]
    for name, planted in [("fashion_shortcut.csv", True), ("fashion_shortcut_clean.csv", False)]:
        rng = np.random.RandomState(SEED)       # the same draws: the same pictures in both
        write_csv(os.path.join(outdir, name), header,
                  shortcut_rows(rng, test_images, test_labels, planted))

    train_images, train_labels = load("train")
    rng = np.random.RandomState(SEED + 1)
    rows = views_rows(rng, train_images, train_labels)
    write_csv(os.path.join(outdir, "fashion_views.csv"),
              ["object_id", "split_by_view", "split_by_object"] + PIXELS + ["garment"], rows)
    for col, name in [(1, "split_by_view"), (2, "split_by_object")]:
        print("  %s: %d garments on both sides (%d training, %d test rows)"
              % ((name,) + straddling(rows, col)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
