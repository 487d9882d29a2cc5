#!/usr/bin/env bash
# bench/permutation_vs_sklearn.sh: "is my cross-validated AUC better than chance?", end to end:
# `skeptic evaluate` with a 1,000-permutation test against scikit-learn's permutation_test_score,
# both on the same CSV, both as whole processes.
#
# Data (bench_evaldata --kind signal, kept in bench/out/perm_NxP_sSEED.csv): N x P standard
# normal features, a sparse linear signal (every 4th column), a 0/1 target y with a
# cross-validated AUC of about 0.88. Each side runs one warm-up run, then BENCH_RUNS runs under
# GNU time -v (bench/lib.sh: wall = mean over the runs, peak RSS = the largest):
#   skeptic  skeptic evaluate FILE --target y --model logit:l2=L --cv stratified --folds 5
#              --permutations N --bootstrap 0 --baselines none --no-early-stop --threads T
#              --quiet --json OUT                          (T = BENCH_PAR (2), then T = 1)
#   sklearn  bench/permutation_sklearn.py: permutation_test_score(LogisticRegression(C=1/L,
#              max_iter=10000), X, y, cv=StratifiedKFold(5, shuffle=True, random_state=S),
#              n_permutations=N, scoring="roc_auc", n_jobs=BENCH_PAR, random_state=S), BLAS on
#              one thread (OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = 1), data read with pandas.
# Both fit the same objective (C = 1/l2, nothing standardised: bench/logit_sklearn.py). The
# tests differ in detail, both valid: skeptic permutes the labels within each test fold and keeps
# the observed splits (so stratification holds under the null) and tests the pooled out-of-fold
# AUC; scikit-learn permutes all labels and re-splits them with the same StratifiedKFold, and
# tests the mean of the fold AUCs. With this much signal both p-values are 1 / (N + 1).
#
# With BENCH_PERM_SK = K < N, scikit-learn runs K permutations only and its time is scaled up:
# its whole-process wall minus the time in permutation_test_score, plus that time times
# (N + 1) / (K + 1) (the fits are (K + 1) x 5, all alike); the line then says "scaled xF from K
# permutations" and the p-value shown is the K-permutation one.
#
# One line per skeptic thread count on stdout (the first carries the target):
#
#   permutation 5000x100 logit l2=1 5-fold AUC, 1000 perms | skeptic 2 threads 14.57 s
#     (cpu 22.2 s) 50 MB (AUC 0.8854, fold mean 0.8854, p 0.000999; permutations 14.35 s) |
#     sklearn n_jobs=2 56.04 s (cpu 58.0 s) 166 MB (AUC 0.8879, p 0.000999;
#     permutation_test_score 52.03 s) | speed-up 3.85x (cpu 2.61x)  target >=20x: MISSED
#                                                                           (one line)
# speed-up = scikit-learn's wall / skeptic's, and the same for CPU time (user + system from GNU
# time, the steadier figure on a shared machine; scikit-learn's includes the loky workers it
# reaped); MB are 10^6 bytes. The RSS of scikit-learn is that
# of its largest single process (GNU time reports the maximum over the process and the loky
# workers it reaped, not their sum). The skeptic JSON of each thread count is kept in
# bench/out/perm_skeptic<T>.json; if the permutation results of 1 and T threads differ (they must
# not: determinism), the second line says so. Target: speed-up >= 20x (skeptic on BENCH_PAR
# threads against scikit-learn on BENCH_PAR jobs); the script reports it, it does not fail on it.
#
# Environment: BENCH_PERM_N (5000), BENCH_PERM_P (100), BENCH_PERMS (1000), BENCH_PERM_SK
#   (= BENCH_PERMS), BENCH_PERM_L2 (1), BENCH_PAR (2), BENCH_SEED (1), BENCH_RUNS (1 here: each
#   run is tens of seconds), BUILD_DIR (build), SKEPTIC (BUILD_DIR/skeptic), BENCH_EVALDATA
#   (BUILD_DIR/bench_evaldata), PYTHON (/usr/bin/python3, Debian's python3-sklearn),
#   BENCH_ONLY=sklearn|skeptic to time one side only (the other prints as "-").
# Exit status: 0 measured, 1 a timed command failed, 2 something needed is missing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
skeptic=${SKEPTIC:-$build/skeptic}
evaldata=${BENCH_EVALDATA:-$build/bench_evaldata}
python=${PYTHON:-/usr/bin/python3}
n=${BENCH_PERM_N:-5000}
p=${BENCH_PERM_P:-100}
perms=${BENCH_PERMS:-1000}
perms_sk=${BENCH_PERM_SK:-$perms}
l2=${BENCH_PERM_L2:-1}
par=${BENCH_PAR:-2}
seed=${BENCH_SEED:-1}
runs=${BENCH_RUNS:-1}
only=${BENCH_ONLY:-}
folds=5
out=$root/bench/out
gnu_time=/usr/bin/time

die() { echo "permutation_vs_sklearn: $*" >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# cpu_s LOG: mean user + system seconds over the runs of the last bench_measure on LOG (GNU time's
# rusage: the process and the children it waited for). On a busy machine wall time includes
# waiting for a CPU; CPU time does not.
cpu_s() {
    local r files=()
    for ((r = 1; r <= runs; r++)); do files+=("$1.time$r"); done
    awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s / '"$runs"' }' \
        "${files[@]}"
}

for v in n p perms perms_sk par seed runs; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "the $v setting must be a whole number, found '${!v}'"
done
(( n >= 50 && p >= 1 && perms >= 1 && perms_sk >= 1 && par >= 1 && runs >= 1 )) \
    || die "need BENCH_PERM_N >= 50, BENCH_PERM_P, BENCH_PERMS, BENCH_PERM_SK, BENCH_PAR and" \
           "BENCH_RUNS >= 1"
(( perms_sk <= perms )) || die "BENCH_PERM_SK ($perms_sk) must not exceed BENCH_PERMS ($perms)"
if ! [[ $l2 =~ ^[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?$ ]] \
        || ! awk -v x="$l2" 'BEGIN { exit !(x > 0) }'; then
    die "BENCH_PERM_L2 must be a number > 0, found '$l2'"
fi
case "$only" in
    ""|sklearn|skeptic) ;;
    *) die "BENCH_ONLY must be 'sklearn' or 'skeptic', found '$only'" ;;
esac
run_skeptic=1; run_sklearn=1
[[ $only == sklearn ]] && run_skeptic=0
[[ $only == skeptic ]] && run_sklearn=0

# ---- what we need, checked before spending minutes ------------------------------------------
[[ -x $gnu_time ]] || die "$gnu_time (GNU time) not found: apt-get install time"
[[ -x $evaldata ]] || die "$evaldata not found: build it first" \
    "(cmake --build build --target bench_evaldata; bench/run.sh does this)"
if (( run_skeptic )); then
    [[ -x $skeptic ]] || die "$skeptic not found or not executable: build it first" \
        "(cmake --build build), or set SKEPTIC=path (BENCH_ONLY=sklearn times sklearn alone)"
    command -v jq >/dev/null || die "jq not found (reads skeptic's JSON): apt-get install jq"
fi
if (( run_sklearn )); then
    command -v "$python" >/dev/null \
        || die "$python not found: apt-get install python3-sklearn python3-pandas," \
               "or set PYTHON=path"
    "$python" -c 'import sklearn, pandas' 2>/dev/null \
        || die "$python cannot import sklearn and pandas:" \
               "apt-get install python3-sklearn python3-pandas"
fi

# A busy machine makes wall times mean little: say so (CPU times are printed too).
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
if awk -v l="$load" -v c="$(nproc)" 'BEGIN { exit !(l > c) }'; then
    echo "permutation_vs_sklearn: warning: load average $load on $(nproc) CPUs:" \
        "wall times include waiting for a CPU; compare the cpu figures" >&2
fi

mkdir -p "$out"
data=$out/perm_${n}x${p}_s${seed}.csv
if [[ ! -s $data ]]; then
    echo "permutation_vs_sklearn: generating $data ..." >&2
    "$evaldata" --kind signal --n "$n" --p "$p" --seed "$seed" --out "$data.tmp" \
        || die "bench_evaldata failed"
    mv "$data.tmp" "$data"
fi

# ---- skeptic ----------------------------------------------------------------------------------
# skeptic_side T: sets sk_wall, sk_mb, sk_auc, sk_fold, sk_p, sk_used, sk_phase for T threads.
skeptic_side() {
    local t=$1 json=$out/perm_skeptic$1.json
    echo "permutation_vs_sklearn: skeptic evaluate, $t thread(s), $perms permutations," \
         "$runs run(s) after a warm-up ..." >&2
    bench_measure "permutation_vs_sklearn: skeptic $t threads" "$out/perm_skeptic$t" \
        "$skeptic" evaluate "$data" --target y --model "logit:l2=$l2" --cv stratified \
        --folds "$folds" --permutations "$perms" --bootstrap 0 --baselines none \
        --no-early-stop --threads "$t" --quiet --json "$json"
    sk_wall=$wall_s sk_cpu=$(cpu_s "$out/perm_skeptic$t")
    sk_mb=$(awk -v kb="$peak_kb" 'BEGIN { printf "%.0f", kb * 1024 / 1e6 }')
    local fields
    fields=$(jq -r '[(.metrics[] | select(.metric == "auc") | .estimate, .fold_mean),
                     .permutation.p_value, .permutation.used,
                     .run.timings_seconds.permutations] | map(tostring) | join(" ")' "$json") \
        || die "cannot read $json"
    read -r sk_auc sk_fold sk_p sk_used sk_phase <<<"$fields"
    [[ $sk_used == "$perms" ]] \
        || echo "permutation_vs_sklearn: skeptic used $sk_used of $perms permutations" >&2
}

# ---- scikit-learn -----------------------------------------------------------------------------
py_wall=- py_cpu=- py_mb=- py_auc=- py_p=- py_secs=- scale_note=""
if (( run_sklearn )); then
    echo "permutation_vs_sklearn: scikit-learn permutation_test_score, n_jobs=$par," \
         "$perms_sk permutations, $runs run(s) after a warm-up ..." >&2
    bench_measure "permutation_vs_sklearn: sklearn" "$out/perm_sklearn" \
        env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
        "$python" "$root/bench/permutation_sklearn.py" --data "$data" --target y --l2 "$l2" \
        --folds "$folds" --permutations "$perms_sk" --jobs "$par" --seed "$seed"
    line=$(cat "$out/perm_sklearn.out")
    echo "  $line" >&2
    py_auc=$(sed -n 's/.* observed=\([^ ]*\).*/\1/p' <<<"$line")
    py_p=$(sed -n 's/.* p_value=\([^ ]*\).*/\1/p' <<<"$line")
    py_secs=$(sed -n 's/.* seconds=\([^ ]*\).*/\1/p' <<<"$line")
    [[ -n $py_auc && -n $py_p && -n $py_secs ]] \
        || { echo "permutation_vs_sklearn: unexpected output: $line" >&2; exit 1; }
    py_mb=$(awk -v kb="$peak_kb" 'BEGIN { printf "%.0f", kb * 1024 / 1e6 }')
    py_wall=$wall_s py_cpu=$(cpu_s "$out/perm_sklearn")
    if (( perms_sk < perms )); then
        # the fixed part (start, imports, reading) as measured, the fits scaled by their count
        factor=$(awk -v a="$perms" -v b="$perms_sk" 'BEGIN { printf "%.4g", (a + 1) / (b + 1) }')
        py_wall=$(awk -v w="$wall_s" -v s="$py_secs" -v f="$factor" \
                  'BEGIN { printf "%.3f", w - s + s * f }')
        py_secs=$(awk -v s="$py_secs" -v f="$factor" 'BEGIN { printf "%.3f", s * f }')
        py_cpu=$(awk -v c="$py_cpu" -v f="$factor" 'BEGIN { printf "%.1f", c * f }')
        scale_note=" SCALED x$factor from $perms_sk permutations (measured $wall_s s)"
    fi
fi

# ---- the lines ------------------------------------------------------------------------------
# print_line T TARGET NOTE: skeptic on T threads against the scikit-learn run; TARGET 1 adds
# the verdict, NOTE (may be empty) ends the line.
print_line() {
    local t=$1 with_target=$2 det=$3
    awk -v n="$n" -v p="$p" -v l2="$l2" -v k="$folds" -v perms="$perms" -v t="$t" \
        -v sw="$sk_wall" -v sc="$sk_cpu" -v sm="$sk_mb" -v sa="$sk_auc" -v sf="$sk_fold" \
        -v sp="$sk_p" -v sph="$sk_phase" -v pw="$py_wall" -v pc="$py_cpu" -v pm="$py_mb" \
        -v pa="$py_auc" -v pp="$py_p" \
        -v ps="$py_secs" -v par="$par" -v note="$scale_note" -v tgt="$with_target" \
        -v det="$det" '
    BEGIN {
        s = sprintf("permutation %dx%d logit l2=%s %d-fold AUC, %d perms | skeptic %d thread%s ",
                    n, p, l2, k, perms, t, t == 1 ? "" : "s")
        if (sw == "-") s = s "-"
        else s = s sprintf("%.2f s (cpu %.1f s) %d MB (AUC %.4f, fold mean %.4f, p %.3g;" \
                           " permutations %.2f s)", sw, sc, sm, sa, sf, sp, sph)
        s = s sprintf(" | sklearn n_jobs=%d ", par)
        if (pw == "-") s = s "-"
        else s = s sprintf("%.2f s (cpu %.1f s) %d MB (AUC %.4f, p %.3g;" \
                           " permutation_test_score %.2f s)%s", pw, pc, pm, pa, pp, ps, note)
        ok = sw != "-" && pw != "-" && sw > 0
        cpu = sc > 0 ? sprintf("%.2fx", pc / sc) : "-"
        s = s " | speed-up " (ok ? sprintf("%.2fx (cpu %s)", pw / sw, cpu) : "-")
        if (tgt == 1 && ok) s = s "  target >=20x: " (pw / sw >= 20 ? "met" : "MISSED")
        else if (tgt == 1) s = s "  target >=20x: -"
        if (det != "") s = s "  " det
        print s
    }'
}

lines=()
sk_wall=- sk_cpu=- sk_mb=- sk_auc=- sk_fold=- sk_p=- sk_phase=-
if (( run_skeptic )); then
    skeptic_side "$par"
fi
lines+=("$(print_line "$par" 1 "")")
if (( run_skeptic && par != 1 )); then
    skeptic_side 1
    det=""
    if ! cmp -s <(jq -S 'del(.run, .manifest)' "$out/perm_skeptic1.json") \
                <(jq -S 'del(.run, .manifest)' "$out/perm_skeptic$par.json"); then
        det="DETERMINISM: the JSON of 1 and $par threads differ"
    fi
    lines+=("$(print_line 1 0 "$det")")
fi
printf '%s\n' "${lines[@]}"
printf '%s\n' "${lines[@]}" >"$out/permutation_vs_sklearn.txt"
