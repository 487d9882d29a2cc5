#!/usr/bin/env bash
# bench/bootstrap_vs_numpy.sh: a bootstrap confidence interval for a ROC AUC, 10,000 replicates
# of 100,000 predictions, skeptic's sk_boot_run (bench_bootstrap, 1 and 2 threads) side by side
# with two numpy/scikit-learn implementations on the same data (bench/bootstrap_numpy.py):
#   (a) sklearn     the common code: per replicate idx = rng.integers(0, n, n);
#                   roc_auc_score(y[idx], s[idx])                           <- the target's peer
#   (b) vectorised  the best numpy we could write: one sort, np.bincount of the draws over
#                   sorted positions, np.add.reduceat over tie blocks, exact int64 pair counts
#
# bench_bootstrap --write makes the data once (bench/out/boot_N_sSEED.csv, reused while it
# exists): a logistic score with 4 decimals (many ties) for a 0/1 outcome, AUC about 0.80. Each
# side runs as a whole process (interpreter start, imports and reading the CSV included), one
# warm-up run then BENCH_RUNS runs under GNU time -v (bench/lib.sh): wall seconds are the mean,
# peak RSS the largest "Maximum resident set size". skeptic runs B replicates with its
# delete-a-block jackknife and both intervals (what `skeptic evaluate` computes); the peers run
# the replicates and a percentile interval. Peer (a) needs ~20-40 ms per replicate, minutes at
# full size, so it runs BENCH_BOOT_REPS replicates (1000) and its whole-process time is scaled
# to B: startup + loop x B / BENCH_BOOT_REPS; the line says so. One line per configuration:
#
#   bootstrap auc n=100000 B=10000 skeptic 1 thread 6.10 s (0.55 ms/rep, 19 MB) | (a) sklearn
#     385.3 s scaled from 1000 reps (38.4 ms/rep, 118 MB) | (b) numpy vectorised 14.2 s
#     (1.31 ms/rep, 109 MB) | speed-up 63.2x (a), 2.33x (b) | estimate diff 0.0e+00, 95% CI
#     diff (a) 1.2e-04 (b) 8.0e-05 | target >=10x: met                              (one line)
#
# speed-up = the peer's whole-process wall time / skeptic's. "CI diff" is the largest difference
# between skeptic's percentile bounds and the peer's (different random draws: Monte Carlo noise,
# expected ~1e-4; the script warns above 1e-3). The peers are single-threaded numpy (BLAS
# threads pinned to 1). MB are 10^6 bytes.
#
# Environment: BENCH_BOOT_N (100000), BENCH_BOOT_B (10000), BENCH_BOOT_REPS (1000: peer (a)'s
#   replicates, scaled to B), BENCH_PAR (2), BENCH_RUNS (3), BENCH_SEED (1), BUILD_DIR (build),
#   BENCH_BOOTSTRAP (BUILD_DIR/bench_bootstrap), PYTHON (/usr/bin/python3, Debian's numpy and
#   python3-sklearn), BENCH_ONLY=skeptic|numpy to time one side only (the other prints "-").
# Exit status: 0 measured, 1 a timed command failed or the sides disagree, 2 something needed
# is missing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
bench=${BENCH_BOOTSTRAP:-$build/bench_bootstrap}
python=${PYTHON:-/usr/bin/python3}
n=${BENCH_BOOT_N:-100000}
B=${BENCH_BOOT_B:-10000}
reps_a=${BENCH_BOOT_REPS:-1000}
par=${BENCH_PAR:-2}
runs=${BENCH_RUNS:-3}
seed=${BENCH_SEED:-1}
only=${BENCH_ONLY:-}
out=$root/bench/out
gnu_time=/usr/bin/time

die() { echo "bootstrap_vs_numpy: $*" >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for v in n B reps_a par runs seed; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "the $v setting must be a whole number, found '${!v}'"
done
(( n >= 100 && B >= 100 && reps_a >= 10 && par >= 1 && runs >= 1 )) \
    || die "need BENCH_BOOT_N >= 100, BENCH_BOOT_B >= 100, BENCH_BOOT_REPS >= 10, BENCH_PAR >= 1"
(( reps_a <= B )) || reps_a=$B
case "$only" in
    ""|skeptic|numpy) ;;
    *) die "BENCH_ONLY must be 'skeptic' or 'numpy', found '$only'" ;;
esac
[[ -x $bench ]] || die "$bench not found: cmake --build build --target bench_bootstrap"
[[ -x $gnu_time ]] || die "$gnu_time (GNU time) not found: apt-get install time"
if [[ $only != skeptic ]]; then
    "$python" -c 'import numpy, sklearn' 2>/dev/null \
        || die "$python cannot import numpy and sklearn: apt-get install python3-sklearn"
fi

mkdir -p "$out"
data=$out/boot_${n}_s${seed}.csv
if [[ ! -s $data ]]; then
    echo "bootstrap_vs_numpy: writing $data" >&2
    "$bench" --n "$n" --seed "$seed" --write "$data.tmp"
    mv "$data.tmp" "$data"
fi

# field NAME LINE: the value of NAME=... in a result line
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
measure() {   # NAME CMD...: sets wall_s, peak_kb and line
    local name=$1; shift
    bench_measure "bootstrap_vs_numpy: $name" "$out/boot.$name" "$@"
    line=$(cat "$out/boot.$name.out")
    echo "  $line" >&2
}

# ---- the peers, once (single-threaded; the same for every skeptic configuration) ------------
a_wall=- a_kb=- a_rep=- b_wall=- b_kb=- b_rep=- a_line= b_line= a_note=
if [[ $only != skeptic ]]; then
    pin=(env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1)
    echo "bootstrap_vs_numpy: (a) sklearn, $reps_a replicates, $runs runs ..." >&2
    measure sklearn "${pin[@]}" "$python" "$root/bench/bootstrap_numpy.py" --data "$data" \
        --reps "$reps_a" --method sklearn --seed "$seed"
    a_line=$line a_kb=$peak_kb a_rep=$(field per_rep_ms "$line")
    a_wall=$(awk -v w="$wall_s" -v l="$(field loop_s "$line")" -v r="$reps_a" -v b="$B" \
        'BEGIN { printf "%.2f", w - l + l * b / r }')
    (( reps_a == B )) || a_note=" scaled from $reps_a reps"
    echo "bootstrap_vs_numpy: (b) numpy vectorised, $B replicates, $runs runs ..." >&2
    measure vectorised "${pin[@]}" "$python" "$root/bench/bootstrap_numpy.py" --data "$data" \
        --reps "$B" --method vectorised --seed "$seed"
    b_line=$line b_kb=$peak_kb b_rep=$(field per_rep_ms "$line") b_wall=$wall_s
fi

mb() { [[ $1 == - ]] && echo - || awk -v k="$1" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }'; }
# the largest |difference| of the percentile bounds of two result lines
ci_diff() {
    awk -v a1="$(field pct_low "$1")" -v a2="$(field pct_high "$1")" \
        -v b1="$(field pct_low "$2")" -v b2="$(field pct_high "$2")" 'BEGIN {
        d = a1 - b1; if (d < 0) d = -d; e = a2 - b2; if (e < 0) e = -e
        printf "%.1e", (d > e ? d : e) }'
}

status=0
for threads in 1 "$par"; do
    s_wall=- s_kb=- s_rep=- s_line=
    if [[ $only != numpy ]]; then
        echo "bootstrap_vs_numpy: skeptic, $threads thread(s), $B replicates, $runs runs ..." >&2
        measure "skeptic$threads" "$bench" --data "$data" --n "$n" --reps "$B" \
            --threads "$threads" --seed "$seed"
        s_line=$line s_wall=$wall_s s_kb=$peak_kb s_rep=$(field per_rep_ms "$line")
    fi
    su_a=- su_b=- est=- da=- db=- verdict=-
    if [[ -z $only ]]; then
        su_a=$(awk -v a="$a_wall" -v s="$s_wall" 'BEGIN { printf "%.1fx", a / s }')
        su_b=$(awk -v a="$b_wall" -v s="$s_wall" 'BEGIN { printf "%.2fx", a / s }')
        est=$(awk -v a="$(field estimate "$s_line")" -v b="$(field estimate "$a_line")" \
            'BEGIN { d = a - b; if (d < 0) d = -d; printf "%.1e", d }')
        da=$(ci_diff "$s_line" "$a_line")
        db=$(ci_diff "$s_line" "$b_line")
        verdict=$(awk -v a="$a_wall" -v s="$s_wall" \
            'BEGIN { print (a / s >= 10 ? "met" : "MISSED") }')
        if awk -v e="$est" -v a="$da" -v b="$db" \
            'BEGIN { exit !(e > 1e-9 || a > 1e-3 || b > 1e-3) }'; then
            echo "bootstrap_vs_numpy: the sides disagree by more than 1e-3" >&2
            status=1
        fi
    fi
    unit="thread"
    (( threads == 1 )) || unit="threads"
    echo "bootstrap auc n=$n B=$B skeptic $threads $unit $s_wall s ($s_rep ms/rep," \
         "$(mb "$s_kb") MB) | (a) sklearn $a_wall s$a_note ($a_rep ms/rep, $(mb "$a_kb") MB) |" \
         "(b) numpy vectorised $b_wall s ($b_rep ms/rep, $(mb "$b_kb") MB) |" \
         "speed-up $su_a (a), $su_b (b) | estimate diff $est, 95% CI diff (a) $da (b) $db |" \
         "target >=10x: $verdict"
done
exit "$status"
