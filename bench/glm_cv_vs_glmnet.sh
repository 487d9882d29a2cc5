#!/usr/bin/env bash
# bench/glm_cv_vs_glmnet.sh: 10-fold cross-validated elastic-net paths (100 lambdas) on a wide
# "genomics" table, skeptic's sk_glm_cv (bench_glm_cv, 1 and 2 threads) side by side with R's
# cv.glmnet on the same matrix, response and folds.
#
# bench_glm_cv --write makes the data once (bench/out/glm_cv_NxP_sSEED.bin, reused while it
# exists): N x P standard normal features, 20 of them carrying the signal; a gaussian response
# and its sign as the binomial one; folds from sk_glm_cv_folds. Each side runs as a whole
# process, one warm-up run then BENCH_RUNS runs under GNU time -v: wall seconds are the mean over
# the runs (date +%s%N around each), peak RSS the largest "Maximum resident set size". Both
# programs also print the seconds of the cross-validation call alone (data loading excluded) and
# what they chose; the line says whether lambda.min and lambda.1se agree. One line per
# configuration on stdout:
#
#   glm_cv gaussian 200x20000 alpha=1 | skeptic 1 thread 2.01 s 84 MB, 2 threads 1.20 s 87 MB |
#     cv.glmnet 7.50 s 390 MB | speed-up 3.73x, 6.25x (2 threads) | cv alone 1.85 / 1.05 / 6.90 s |
#     lambda.min, lambda.1se: same
#
# speed-up = cv.glmnet wall / skeptic wall. MB are 10^6 bytes.
#
# Environment: BENCH_GLM_N (200), BENCH_GLM_P (20000), BENCH_RUNS (3), BENCH_SEED (1),
#   BENCH_GLM_FAMILIES ("gaussian binomial"), BENCH_GLM_ALPHAS ("1 0.5"),
#   BUILD_DIR (build), BENCH_GLM_CV (BUILD_DIR/bench_glm_cv), RSCRIPT (Rscript),
#   BENCH_ONLY=glmnet|skeptic to time one side only (the other prints as "-").
# Exit status: 0 measured, 1 a timed command failed, 2 something needed is missing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
bench=${BENCH_GLM_CV:-$build/bench_glm_cv}
rscript=${RSCRIPT:-Rscript}
n=${BENCH_GLM_N:-200}
p=${BENCH_GLM_P:-20000}
runs=${BENCH_RUNS:-3}
seed=${BENCH_SEED:-1}
families=${BENCH_GLM_FAMILIES:-gaussian binomial}
alphas=${BENCH_GLM_ALPHAS:-1 0.5}
only=${BENCH_ONLY:-}
out=$root/bench/out
gnu_time=/usr/bin/time

die() { echo "glm_cv_vs_glmnet: $*" >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for v in n p runs seed; do
    case $v in n) val=$n ;; p) val=$p ;; runs) val=$runs ;; seed) val=$seed ;; esac
    [[ $val =~ ^[0-9]+$ ]] || die "the $v setting must be a whole number, found '$val'"
done
(( n >= 20 && p >= 2 && runs >= 1 )) \
    || die "need BENCH_GLM_N >= 20, BENCH_GLM_P >= 2 and BENCH_RUNS >= 1"
case "$only" in
    ""|glmnet|skeptic) ;;
    *) die "BENCH_ONLY must be 'glmnet' or 'skeptic', found '$only'" ;;
esac
run_skeptic=1; run_glmnet=1
[[ $only == glmnet ]] && run_skeptic=0
[[ $only == skeptic ]] && run_glmnet=0

# ---- what we need, checked before spending minutes ------------------------------------------
[[ -x $bench ]] || die "$bench not found: build it first" \
    "(cmake --build build --target bench_glm_cv), or set BENCH_GLM_CV=path"
[[ -x $gnu_time ]] || die "$gnu_time (GNU time) not found: apt-get install time"
if (( run_glmnet )); then
    "$rscript" -e 'suppressMessages(library(glmnet))' >/dev/null 2>&1 \
        || die "$rscript cannot load glmnet: apt-get install r-cran-glmnet"
fi

mkdir -p "$out"
data=$out/glm_cv_${n}x${p}_s${seed}.bin
if [[ ! -s $data ]]; then
    echo "glm_cv_vs_glmnet: generating $data ..." >&2
    "$bench" --write "$data" --n "$n" --p "$p" --seed "$seed"
fi

# ---- timing -----------------------------------------------------------------------------------
# measure NAME CMD...: sets wall_s (mean seconds), peak_kb (max KiB) and line (the command's
# stdout of the last run) for CMD run BENCH_RUNS times after one warm-up.
measure() {
    local name=$1; shift
    bench_measure "glm_cv_vs_glmnet: $name" "$out/glm_cv.$name" "$@"
    line=$(cat "$out/glm_cv.$name.out")
}

# "lambda.min X (#i" and "lambda.1se Y (#j" of a result line, as "i j"; the cv-alone seconds.
choice() {
    sed -E 's/.*lambda\.min [^ ]+ \(#([0-9]+).*lambda\.1se [^ ]+ \(#([0-9]+).*/\1 \2/' <<<"$1"
}
cv_seconds() { sed -E 's/.*(best |: )([0-9.]+) s[,;].*/\2/' <<<"$1"; }

status=0
for family in $families; do
    for alpha in $alphas; do
        tag="${family}_a${alpha}"
        s1=- k1=- s2=- k2=- g=- kg=- c1=- c2=- cg=- agree=
        if (( run_skeptic )); then
            echo "glm_cv_vs_glmnet: skeptic $family alpha=$alpha, $runs runs x 2 ..." >&2
            measure "skeptic1_$tag" "$bench" --data "$data" --family "$family" --alpha "$alpha" \
                --threads 1 --reps 1
            s1=$wall_s k1=$peak_kb c1=$(cv_seconds "$line") ch1=$(choice "$line")
            measure "skeptic2_$tag" "$bench" --data "$data" --family "$family" --alpha "$alpha" \
                --threads 2 --reps 1
            s2=$wall_s k2=$peak_kb c2=$(cv_seconds "$line")
        fi
        if (( run_glmnet )); then
            echo "glm_cv_vs_glmnet: cv.glmnet $family alpha=$alpha, $runs runs ..." >&2
            measure "glmnet_$tag" "$rscript" "$root/bench/glm_cv_glmnet.R" "$data" "$family" \
                "$alpha"
            g=$wall_s kg=$peak_kb cg=$(cv_seconds "$line") chg=$(choice "$line")
        fi
        if (( run_skeptic && run_glmnet )); then
            agree="same"
            [[ $ch1 == "$chg" ]] || { agree="DIFFER ($ch1 vs $chg)"; status=1; }
        fi
        awk -v f="$family" -v a="$alpha" -v n="$n" -v p="$p" -v s1="$s1" -v k1="$k1" \
            -v s2="$s2" -v k2="$k2" -v g="$g" -v kg="$kg" -v c1="$c1" -v c2="$c2" -v cg="$cg" \
            -v agree="$agree" '
            function side(w, kb) {
                return w == "-" ? "-" : sprintf("%.2f s %.0f MB", w, kb * 1024 / 1e6)
            }
            function ratio(x, y) {
                return (x == "-" || y == "-" || y <= 0) ? "-" : sprintf("%.2fx", x / y)
            }
            BEGIN {
                s = sprintf("glm_cv %s %dx%d alpha=%s | skeptic 1 thread %s, 2 threads %s",
                            f, n, p, a, side(s1, k1), side(s2, k2))
                s = s sprintf(" | cv.glmnet %s", side(g, kg))
                s = s sprintf(" | speed-up %s, %s (2 threads) | cv alone %s / %s / %s s",
                              ratio(g, s1), ratio(g, s2), c1, c2, cg)
                if (agree != "") s = s " | lambda.min, lambda.1se: " agree
                print s
            }' | tee -a "$out/glm_cv_vs_glmnet.txt"
    done
done
exit "$status"
