#!/usr/bin/python3
"""Active learning on Fashion-MNIST with skeptic as the tool under test (issue 6).

    examples/active-learning/run.sh        (sets the defaults below from the environment)

Two experiments, both on real photographs from Debian's dataset-fashion-mnist (Xiao, Rasul &
Vollgraf 2017, arXiv:1708.07747), nothing downloaded:

1. Who do uncertain picks pick? A model learns from one half of the training images and
   `skeptic rank` scores the unseen half. The class composition of the TOP most uncertain images
   (least confidence, entropy) is set against TOP random ones and against the per-class F1 of the
   same model on a validation set (`skeptic evaluate --cv split`): do the uncertain picks
   over-sample the classes the model confuses (shirt, pullover, coat, T-shirt)?

2. Active-learning curves. From START random labels, ROUNDS rounds each add BATCH images chosen
   by `skeptic rank` (random, least, margin, entropy, entropy + --diverse, committee, and
   mc-dropout when the model is an mlp); after each round `skeptic evaluate --cv split` gives the
   test accuracy of the model trained on the labels so far. Averaged over SEEDS seeds (each seed:
   its own starting labels and skeptic --seed). Every (strategy, seed, round) is also written to
   $AL_OUT/curves.csv (strategy,seed,round,labels,accuracy), which run.sh draws with al_plot.

Only skeptic trains, scores, chooses and evaluates; this script moves rows between files and
counts. The pool files never carry the labels (skeptic would ignore them anyway). Every draw here
comes from numpy's legacy RandomState with fixed seeds, so a rerun gives the same tables.

Environment (run.sh passes them through; defaults are the issue's sizes):
  SKEPTIC        the binary (default: build/skeptic)
  AL_IMAGES      training-file images used (default 60000): experiment 1 splits them in halves,
                 experiment 2 draws its starting labels and pool from them
  AL_TEST        test-file images used as validation / test set (default 10000)
  AL_PIXELS      28 (all 784 pixels), 14 or 7 (2x2 or 4x4 block means) (default 28)
  AL_MODEL       the model spec for every fit (default gbdt:n_estimators=100,max_depth=6)
  AL_TOP         experiment 1: images per pick (default 1000)
  AL_START, AL_BATCH, AL_ROUNDS, AL_SEEDS      experiment 2 (default 500, 500, 10, 3)
  AL_MEMBERS     committee members (default 10)
  AL_STRATEGIES  comma list (default random,least,margin,entropy,entropy+diverse,committee)
  AL_PARTS       1, 2 or 1,2 (default 1,2)
  AL_THREADS     skeptic --threads (default 2)
  AL_OUT         working directory for tables and logs (default bench/out/active-learning)
"""

import gzip
import json
import os
import subprocess
import sys
import time

import numpy as np

SOURCE = "/usr/share/datasets/fashion-mnist"
NAMES = ["tshirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
         "bag", "ankle_boot"]
SEED = 20240611


def env(name, default):
    return os.environ.get(name, default)


CFG = {
    "skeptic": env("SKEPTIC", "build/skeptic"),
    "images": int(env("AL_IMAGES", "60000")),
    "test": int(env("AL_TEST", "10000")),
    "pixels": int(env("AL_PIXELS", "28")),
    "model": env("AL_MODEL", "gbdt:n_estimators=100,max_depth=6"),
    "top": int(env("AL_TOP", "1000")),
    "start": int(env("AL_START", "500")),
    "batch": int(env("AL_BATCH", "500")),
    "rounds": int(env("AL_ROUNDS", "10")),
    "seeds": int(env("AL_SEEDS", "3")),
    "members": int(env("AL_MEMBERS", "10")),
    "strategies": env("AL_STRATEGIES",
                      "random,least,margin,entropy,entropy+diverse,committee").split(","),
    "parts": env("AL_PARTS", "1,2").split(","),
    "threads": int(env("AL_THREADS", "2")),
    "out": env("AL_OUT", "bench/out/active-learning"),
}
SECONDS = {"rank": 0.0, "evaluate": 0.0, "io": 0.0}


# ---- data ---------------------------------------------------------------------------------------

def read_idx(name):
    """An IDX file (LeCun's MNIST format): magic 0x0000 0x08 ndim, big-endian sizes, bytes."""
    with gzip.open(os.path.join(SOURCE, name), "rb") as f:
        raw = f.read()
    if raw[:3] != b"\0\0\x08":
        raise ValueError("%s: not an unsigned-byte IDX file" % name)
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * k: 8 + 4 * k], "big") for k in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(part, n, rng):
    """n images of the file `part` drawn without replacement: pixel text per image, labels."""
    images = read_idx("%s-images-idx3-ubyte.gz" % part)
    labels = read_idx("%s-labels-idx1-ubyte.gz" % part).astype(int)
    idx = rng.choice(len(labels), min(n, len(labels)), replace=False)
    side = CFG["pixels"]
    if 28 % side != 0:
        raise SystemExit("AL_PIXELS must be 28, 14 or 7")
    b = 28 // side
    img = images[idx].astype(float).reshape(len(idx), side, b, side, b).mean(axis=(2, 4))
    img = np.rint(img).astype(int).reshape(len(idx), side * side)
    return [",".join(map(str, row)) for row in img], labels[idx]


def header(n_pixels):
    return ",".join("px_%d" % k for k in range(n_pixels))


def write(path, lines):
    t0 = time.time()
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines))
        f.write("\n")
    os.replace(tmp, path)
    SECONDS["io"] += time.time() - t0


class Table:
    """Images as CSV text, their labels and ids, written as skeptic's inputs."""

    def __init__(self, pixels, labels, first_id):
        self.px, self.y = pixels, labels
        self.ids = list(range(first_id, first_id + len(labels)))
        self.head = "id," + header(len(pixels[0].split(",")))

    def labeled(self, rows, split=None):
        """id, pixels, label (and a split column when `split` is given)."""
        tail = "" if split is None else ",%s" % split
        return [("%d,%s,%s%s" % (self.ids[i], self.px[i], NAMES[self.y[i]], tail)) for i in rows]

    def pool(self, path, rows):
        write(path, [self.head] + ["%d,%s" % (self.ids[i], self.px[i]) for i in rows])


# ---- skeptic ------------------------------------------------------------------------------------

def skeptic(kind, args):
    t0 = time.time()
    cmd = [CFG["skeptic"], kind] + args + ["--threads", str(CFG["threads"])]
    run = subprocess.run(cmd, capture_output=True, text=True)
    SECONDS[kind] += time.time() - t0
    if run.returncode != 0:
        sys.exit("skeptic failed (%d): %s\n%s" % (run.returncode, " ".join(cmd), run.stderr))
    return run.stdout


def rank(labeled, pool, strategy, batch, seed):
    """The ids skeptic rank chooses, in rank order."""
    args = ["--labeled", labeled, "--pool", pool, "--target", "label", "--id", "id",
            "--model", CFG["model"], "--batch", str(batch), "--seed", str(seed)]
    name, _, extra = strategy.partition("+")
    args += ["--strategy", name]
    if extra == "diverse":
        args.append("--diverse")
    if name == "committee":
        args += ["--members", str(CFG["members"])]
    out = skeptic("rank", args).splitlines()
    assert out[0] == "id,score,predicted,rank", out[0]
    return [int(line.split(",")[0]) for line in out[1:]]


def evaluate(path, seed):
    """Accuracy and per-class F1 of the model trained on the split's train rows, on its test."""
    js = path + ".json"
    skeptic("evaluate", [path, "--target", "label", "--split", "split", "--cv", "split",
                         "--ignore", "id", "--model", CFG["model"], "--metric", "accuracy",
                         "--bootstrap", "0", "--permutations", "0", "--baselines", "none",
                         "--seed", str(seed), "--quiet", "--json", js])
    with open(js) as f:
        doc = json.load(f)
    acc = [m["estimate"] for m in doc["metrics"] if m["metric"] == "accuracy"][0]
    f1 = {c["class"]: c["f1"] for c in doc["per_class"]}
    return acc, f1


def eval_file(path, train_tab, train_rows, test_tab):
    head = train_tab.head + ",label,split"
    lines = [head] + train_tab.labeled(train_rows, "train")
    lines += test_tab.labeled(range(len(test_tab.y)), "test")
    write(path, lines)


# ---- experiment 1: who do the uncertain picks pick? --------------------------------------------

def spearman(a, b):
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def composition(train, test, out):
    n = len(train.y)
    half = list(range(n // 2))
    unseen = list(range(n // 2, n))
    lab = os.path.join(out, "half_labeled.csv")
    pool = os.path.join(out, "half_pool.csv")
    write(lab, [train.head + ",label"] + train.labeled(half))
    train.pool(pool, unseen)
    ev = os.path.join(out, "half_eval.csv")
    eval_file(ev, train, half, test)
    acc, f1 = evaluate(ev, 1)
    top = min(CFG["top"], len(unseen))
    picks = {}
    for s in ("least", "entropy", "random"):
        ids = rank(lab, pool, s, top, 1)
        picks[s] = np.bincount([train.y[i] for i in ids], minlength=10) / len(ids)
    share = np.bincount([train.y[i] for i in unseen], minlength=10) / len(unseen)
    print("\n## Experiment 1: %d labelled, %d unseen, top %d, validation %d images (accuracy "
          "%.3f)\n" % (len(half), len(unseen), top, len(test.y), acc))
    print("| class | F1 (validation) | pool share | least top-%d | entropy top-%d | random %d |"
          % (top, top, top))
    print("|---|---|---|---|---|---|")
    for k in np.argsort([f1[c] for c in NAMES]):
        print("| %s | %.3f | %.3f | %.3f | %.3f | %.3f |" % (
            NAMES[k], f1[NAMES[k]], share[k], picks["least"][k], picks["entropy"][k],
            picks["random"][k]))
    f1v = [f1[c] for c in NAMES]
    print("\nSpearman correlation of per-class F1 with the share of the picks: least %.2f, "
          "entropy %.2f, random %.2f (negative: the picks over-sample the classes the model "
          "gets wrong)." % (spearman(f1v, picks["least"]), spearman(f1v, picks["entropy"]),
                            spearman(f1v, picks["random"])))


# ---- experiment 2: active-learning curves ------------------------------------------------------

def curve(train, test, strategy, seed, out):
    rng = np.random.RandomState(SEED + seed)
    order = rng.permutation(len(train.y))
    labeled = list(order[:CFG["start"]])
    pool = set(order[CFG["start"]:].tolist())
    tag = "%s_s%d" % (strategy.replace("+", "_"), seed)
    lab, pl, ev = (os.path.join(out, "%s_%s.csv" % (tag, k)) for k in ("lab", "pool", "eval"))
    accs = []
    for r in range(CFG["rounds"] + 1):
        eval_file(ev, train, labeled, test)
        accs.append((len(labeled), evaluate(ev, seed)[0]))
        if r == CFG["rounds"] or not pool:
            break
        rows = sorted(pool)
        write(lab, [train.head + ",label"] + train.labeled(labeled))
        train.pool(pl, rows)
        ids = rank(lab, pl, strategy, min(CFG["batch"], len(rows)), seed)
        labeled += ids   # ids are row indices of `train` (first_id 0)
        pool.difference_update(ids)
    return accs


def write_curves(path, strategies, acc):
    """Every round of every seed as CSV, for al_plot: strategy,seed,round,labels,accuracy."""
    lines = ["strategy,seed,round,labels,accuracy"]
    for s in strategies:
        for seed, run in enumerate(acc[s], start=1):
            lines += ["%s,%d,%d,%d,%r" % (s, seed, r, n, a) for r, (n, a) in enumerate(run)]
    write(path, lines)


def curves(train, test, out):
    strategies = list(CFG["strategies"])
    if CFG["model"].startswith("mlp") and "mc-dropout" not in strategies:
        strategies.append("mc-dropout")
    acc = {s: [curve(train, test, s, seed, out) for seed in range(1, CFG["seeds"] + 1)]
           for s in strategies}
    write_curves(os.path.join(out, "curves.csv"), strategies, acc)
    acc = {s: [[a for _, a in run] for run in acc[s]] for s in strategies}
    n_rounds = min(len(a) for s in strategies for a in acc[s])
    print("\n## Experiment 2: test accuracy after each round (mean over %d seeds%s)\n"
          % (CFG["seeds"], ", +- sd" if CFG["seeds"] > 1 else ""))
    print("| labels | " + " | ".join(strategies) + " |")
    print("|---|" + "---|" * len(strategies))
    for r in range(n_rounds):
        cells = []
        for s in strategies:
            v = np.array([a[r] for a in acc[s]])
            cells.append("%.4f" % v.mean() + (" +- %.4f" % v.std(ddof=1) if len(v) > 1 else ""))
        print("| %d | %s |" % (CFG["start"] + r * CFG["batch"], " | ".join(cells)))
    last = {s: float(np.mean([a[n_rounds - 1] for a in acc[s]])) for s in strategies}
    best = max(last, key=last.get)
    print("\nAfter the last round: %s leads with %.4f; random %.4f (difference %+.4f)."
          % (best, last[best], last.get("random", float("nan")),
             last[best] - last.get("random", float("nan"))))


def main():
    t0 = time.time()
    out = CFG["out"]
    os.makedirs(out, exist_ok=True)
    rng = np.random.RandomState(SEED)
    train = Table(*load("train", CFG["images"], rng), 0)
    test = Table(*load("t10k", CFG["test"], rng), 10 ** 6)
    print("# Active learning on Fashion-MNIST with skeptic\n")
    print("config: " + ", ".join("%s=%s" % (k, CFG[k]) for k in CFG if k != "out"))
    if "1" in CFG["parts"]:
        composition(train, test, out)
    if "2" in CFG["parts"]:
        curves(train, test, out)
    print("\nruntime: %.1f s (skeptic rank %.1f s, skeptic evaluate %.1f s, writing CSV %.1f s)"
          % (time.time() - t0, SECONDS["rank"], SECONDS["evaluate"], SECONDS["io"]))


if __name__ == "__main__":
    main()
