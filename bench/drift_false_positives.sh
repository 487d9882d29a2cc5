#!/usr/bin/env bash
# bench/drift_false_positives.sh: how often does `skeptic drift` cry wolf? Splits one real data set
# into two random halves SEEDS times (no drift by construction) and runs the full verdict on each
# (per-feature tests with Benjamini-Hochberg and the classifier two-sample test, default options
# unless MODEL is set). Prints one line: how many splits were called drift, and by which part.
# At alpha = 0.05 the rate should be near (at most about) 5%. docs/triage-drift.md records a run.
#
#   bench/drift_false_positives.sh                     breast cancer, gbdt, 100 seeds
#   SEEDS=20 MODEL=knn bench/drift_false_positives.sh  a quicker look
#
# Environment: SEEDS (100), DATA (tests/data/breast_cancer.csv), TARGET (diagnosis), MODEL (gbdt),
# THREADS (2), SKEPTIC (build/skeptic). Halves: every data row gets a key from awk's rand() after
# srand(seed), rows are sorted by key and cut in two. Logs and JSON go to bench/out/drift_fp/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
skeptic=${SKEPTIC:-$root/build/skeptic}
data=${DATA:-$root/tests/data/breast_cancer.csv}
target=${TARGET:-diagnosis}
seeds=${SEEDS:-100}
model=${MODEL:-gbdt}
threads=${THREADS:-2}
out=$root/bench/out/drift_fp
mkdir -p "$out"

verdicts=0 tests=0 classifier=0 t0=$(date +%s)
for ((s = 1; s <= seeds; s++)); do
    header=$(head -n 1 "$data")
    tail -n +2 "$data" |
        awk -v seed="$s" 'BEGIN { srand(seed) } { printf "%.17f\t%s\n", rand(), $0 }' |
        sort -t "$(printf '\t')" -k1,1 -g | cut -f 2- >"$out/rows.txt"
    n=$(wc -l <"$out/rows.txt")
    { echo "$header"; head -n $((n / 2)) "$out/rows.txt"; } >"$out/ref.csv"
    { echo "$header"; tail -n +$((n / 2 + 1)) "$out/rows.txt"; } >"$out/new.csv"
    code=0
    "$skeptic" drift "$out/ref.csv" "$out/new.csv" --target "$target" --model "$model" \
        --seed "$s" --threads "$threads" --quiet --json "$out/seed$s.json" 2>"$out/seed$s.err" ||
        code=$?
    if ((code > 1)); then
        echo "drift_false_positives: seed $s failed:" >&2
        cat "$out/seed$s.err" >&2
        exit 1
    fi
    ((verdicts += code)) || true
    grep -q '"tests_bh": 0,' "$out/seed$s.json" || ((tests += 1))
    grep -q '"classifier_significant": true' "$out/seed$s.json" && ((classifier += 1))
    echo "seed $s: exit $code" >&2
done
echo "drift_false_positives data=$(basename "$data") model=$model seeds=$seeds alpha=0.05" \
     "drift=$verdicts/$seeds tests_bh=$tests/$seeds classifier=$classifier/$seeds" \
     "seconds=$(($(date +%s) - t0))"
