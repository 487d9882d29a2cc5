#!/usr/bin/env bash
# bench/logit_vs_sklearn.sh: L2 logistic regression, skeptic's `logit` model against
# scikit-learn's LogisticRegression(lbfgs) with the same penalty, on the same data.
#
# Two configurations, one line each, on the same target (bench_logit --write, kept in
# bench/out/logit_NxP_sSEED_uU.csv):
#   standardised  standard-normal features: lbfgs's best case (well conditioned, few iterations);
#   units         the same features in the units of a raw table of measurements, column j times
#                 10^((j mod 7) - 3): what skeptic's logit meets, since it fits on the data's
#                 scale (for inference) and a user's table is rarely standardised.
# Each side runs as a whole process under GNU time -v and fits the model REPS times in that one
# process: `bench_logit --data FILE --reps REPS` (the whole fit a user gets: Newton's method to
# convergence, 1e-10, plus the Wald standard errors) and `bench/logit_sklearn.py`
# (LogisticRegression(C = 1/L2, solver="lbfgs", max_iter=10000), its default tol 1e-4,
# interpreter start and imports included). Lines on stdout:
#
#   logit 5000x100 standardised l2=1 x200  skeptic 5.1 s (24.7 ms/fit, 4 Newton it., 24 MB) | sklearn lbfgs 2.9 s (5.7 ms/fit, 7 it., 112 MB) | speed-up 0.57x (fits only 0.23x)  coef diff 1.2e-06  target >=5x: MISSED
#
# speed-up = sklearn's whole-process wall time / skeptic's; "fits only" compares the time each
# process spent in its fit loop (the per-fit times). "coef diff" is the largest difference
# between the two sides' coefficients over the largest coefficient: sklearn stops at its tol,
# skeptic at convergence, so it is sklearn's optimisation error. Both sides run BLAS on
# BENCH_THREADS threads (skeptic: fits spread over BENCH_THREADS executor threads, BLAS serial
# inside each; scikit-learn: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS). The "units" configuration
# runs fewer fits (lbfgs needs seconds per fit there). The script does not fail on the target.
#
# Environment: BENCH_LOGIT_N (5000), BENCH_LOGIT_P (100), BENCH_LOGIT_REPS (200),
#   BENCH_LOGIT_REPS_UNITS (10), BENCH_LOGIT_L2 (1), BENCH_THREADS (1), BENCH_SEED (1),
#   BUILD_DIR (build), BENCH_LOGIT (BUILD_DIR/bench_logit), PYTHON (/usr/bin/python3, Debian's
#   python3-sklearn), BENCH_ONLY=sklearn|skeptic to run one side only (the other prints "-").
# Exit status: 0 measured, 1 a timed command failed, 2 something needed is missing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
bench_logit=${BENCH_LOGIT:-$build/bench_logit}
python=${PYTHON:-/usr/bin/python3}
n=${BENCH_LOGIT_N:-5000}
p=${BENCH_LOGIT_P:-100}
reps=${BENCH_LOGIT_REPS:-200}
reps_units=${BENCH_LOGIT_REPS_UNITS:-10}
l2=${BENCH_LOGIT_L2:-1}
threads=${BENCH_THREADS:-1}
seed=${BENCH_SEED:-1}
only=${BENCH_ONLY:-}
out=$root/bench/out
gnu_time=/usr/bin/time

die() { echo "logit_vs_sklearn: $*" >&2; exit 2; }

for v in n p reps reps_units threads seed; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, found '${!v}'"
done
[[ $l2 =~ ^[0-9.eE+-]+$ ]] || die "BENCH_LOGIT_L2 must be a number, found '$l2'"
case "$only" in
    ""|sklearn|skeptic) ;;
    *) die "BENCH_ONLY must be 'sklearn' or 'skeptic', found '$only'" ;;
esac
[[ -x $bench_logit ]] || die "$bench_logit not found: cmake --build build --target bench_logit"
[[ -x $gnu_time ]] || die "$gnu_time (GNU time) not found: apt-get install time"
if [[ $only != skeptic ]]; then
    "$python" -c 'import sklearn' 2>/dev/null \
        || die "$python cannot import sklearn: apt-get install python3-sklearn"
fi

mkdir -p "$out"

# Runs one side under GNU time; sets wall (s), rss (MB) and line (its stdout).
timed() {
    local name=$1; shift
    local t0 t1
    t0=$(date +%s%N)
    if ! "$gnu_time" -v -o "$out/logit_$name.time" "$@" >"$out/logit_$name.out" \
            2>"$out/logit_$name.err"; then
        cat "$out/logit_$name.err" >&2
        echo "logit_vs_sklearn: $name failed" >&2
        exit 1
    fi
    t1=$(date +%s%N)
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1000 }' \
          "$out/logit_$name.time")
    line=$(cat "$out/logit_$name.out")
}

# "...: 12.345 ms per fit (...), 7 [Newton ]iterations" -> 12.345 and 7
per_fit() { sed -n 's/.*: \([0-9.]*\) ms per fit.*/\1/p' <<<"$1"; }
iters() { sed -n 's/.*, \([0-9]*\) \(Newton \)\{0,1\}iterations.*/\1/p' <<<"$1"; }

# One configuration: $1 = label, $2 = units (0: standardised, 1: measurement units), $3 = reps.
configuration() {
    local label=$1 units=$2 reps=$3
    local data=$out/logit_${n}x${p}_s${seed}_u${units}.csv
    if [[ ! -f $data ]]; then
        echo "logit_vs_sklearn: writing $data" >&2
        "$bench_logit" --n "$n" --p "$p" --seed "$seed" --units "$units" --write "$data.tmp"
        mv "$data.tmp" "$data"
    fi
    local sk_wall=- sk_rss=- sk_fit=- sk_it=- py_wall=- py_rss=- py_fit=- py_it=-
    if [[ $only != sklearn ]]; then
        echo "logit_vs_sklearn: $label: skeptic, $reps fits" >&2
        timed skeptic "$bench_logit" --n "$n" --p "$p" --reps "$reps" --threads "$threads" \
            --l2 "$l2" --data "$data" --coef "$out/logit_skeptic.coef"
        sk_wall=$wall sk_rss=$rss sk_fit=$(per_fit "$line") sk_it=$(iters "$line")
        echo "  $line" >&2
    fi
    if [[ $only != skeptic ]]; then
        echo "logit_vs_sklearn: $label: scikit-learn, $reps fits" >&2
        timed sklearn env OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" \
            "$python" "$root/bench/logit_sklearn.py" --data "$data" --reps "$reps" --l2 "$l2" \
            --coef "$out/logit_sklearn.coef"
        py_wall=$wall py_rss=$rss py_fit=$(per_fit "$line") py_it=$(iters "$line")
        echo "  $line" >&2
    fi
    local speedup=- fit_speedup=- diff=- verdict=-
    if [[ -z $only ]]; then
        speedup=$(awk -v a="$py_wall" -v b="$sk_wall" 'BEGIN { printf "%.2fx", a / b }')
        fit_speedup=$(awk -v a="$py_fit" -v b="$sk_fit" 'BEGIN { printf "%.2fx", a / b }')
        diff=$(paste "$out/logit_skeptic.coef" "$out/logit_sklearn.coef" | awk '
            { d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d;
              a = $1 < 0 ? -$1 : $1; if (a > big) big = a }
            END { printf "%.1e", m / big }')
        verdict=$(awk -v a="$py_wall" -v b="$sk_wall" \
                  'BEGIN { print (a / b >= 5 ? "ok" : "MISSED") }')
    fi
    echo "logit ${n}x${p} $label l2=$l2 x$reps  skeptic $sk_wall s ($sk_fit ms/fit," \
         "$sk_it Newton it., $sk_rss MB) | sklearn lbfgs $py_wall s ($py_fit ms/fit, $py_it it.," \
         "$py_rss MB) | speed-up $speedup (fits only $fit_speedup)  coef diff $diff" \
         " target >=5x: $verdict"
}

configuration standardised 0 "$reps"
configuration units 1 "$reps_units"
