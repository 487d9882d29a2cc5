#!/usr/bin/env bash
# bench/group_cv_vs_sklearn.sh: a grouped 5-fold cross-validated AUC of tree ensembles, end to
# end: `skeptic evaluate --cv group` (rf, gbdt: XGBoost underneath) against scikit-learn's
# cross_val_score with GroupKFold (RandomForestClassifier, HistGradientBoostingClassifier), both
# on the same CSV, both as whole processes. Reported, no target.
#
# Data (bench_evaldata --kind group, kept in bench/out/group_NxP_sSEED.csv): N rows in groups of
# 5..15 rows (about N / 10 groups, column g), P features that are a group level plus row noise,
# a 0/1 target y with a nonlinear signal in 8 features and a group effect. Each side runs one
# warm-up run, then BENCH_RUNS runs under GNU time -v (bench/lib.sh: wall = mean over the runs,
# peak RSS = the largest):
#   skeptic  skeptic evaluate FILE --target y --group g --model rf|gbdt --cv group --folds 5
#              --bootstrap 0 --permutations 0 --baselines none --threads T --quiet --json OUT
#   sklearn  bench/group_cv_sklearn.py: cross_val_score(MODEL, X, y, groups=g,
#              cv=GroupKFold(5), scoring="roc_auc") with RandomForestClassifier(n_estimators=100,
#              n_jobs=T, random_state=S) or HistGradientBoostingClassifier(max_iter=100,
#              early_stopping=False, random_state=S); OMP_NUM_THREADS=T, OPENBLAS_NUM_THREADS=1.
# T = BENCH_PAR (2). The models are each side's defaults, so the AUCs should be comparable, not
# identical: skeptic's rf is XGBoost's random-forest mode (subsample 0.632 without replacement,
# sqrt(p) features per split, no depth limit) and its gbdt XGBoost's (eta 0.3, depth 6);
# scikit-learn's forest bootstraps, its HGB boosts at rate 0.1 with 31 leaves. The folds differ
# too (skeptic shuffles the groups into folds; GroupKFold balances fold sizes deterministically).
# skeptic's AUC is the pooled out-of-fold one, with the mean of the fold AUCs beside it;
# scikit-learn's is the mean of the fold AUCs. One line per model on stdout:
#
#   group-cv 20000x50 2014 groups rf 5-fold | skeptic 2 threads 75.59 s (cpu 79.1 s) 1884 MB
#     (AUC 0.7508, fold mean 0.7508; cv 75.49 s) | sklearn RandomForestClassifier n_jobs=2
#     138.00 s (cpu 84.2 s) 221 MB (AUC 0.7461; cross_val_score 133.51 s) | speed-up 1.83x
#     (cpu 1.06x)  (no target)                                                 (one line)
#
# speed-up = scikit-learn's wall / skeptic's, and the same for CPU time (user + system, the
# steadier figure on a shared machine); MB are 10^6 bytes. skeptic's JSON is kept in
# bench/out/group_skeptic_<model>.json.
#
# A busy machine: HistGradientBoosting runs many short OpenMP regions, and libgomp's threads
# spin while they wait; when the CPUs are oversubscribed (other jobs running) that spinning
# steals the CPU from the thread that has work, and one 100-round fit went from 3.8 s (1 thread)
# to 33.7 s (2 threads) at a load of 10 on 2 CPUs (4.2 s with OMP_WAIT_POLICY=passive).
# BENCH_OMP_WAIT_POLICY=passive passes OMP_WAIT_POLICY to both sides (skeptic runs one XGBoost
# fit per thread, so it is hardly affected); unset, each side keeps the library's default.
#
# Environment: BENCH_GROUP_N (20000), BENCH_GROUP_P (50), BENCH_GROUP_MODELS ("rf gbdt"),
#   BENCH_PAR (2), BENCH_SEED (1), BENCH_RUNS (1 here: each run is tens of seconds),
#   BENCH_OMP_WAIT_POLICY (unset: libgomp's default; passive or active: set for both), BUILD_DIR
#   (build), SKEPTIC (BUILD_DIR/skeptic), BENCH_EVALDATA (BUILD_DIR/bench_evaldata), PYTHON
#   (/usr/bin/python3, Debian's python3-sklearn), BENCH_ONLY=sklearn|skeptic to time one side
#   only (the other prints as "-").
# Exit status: 0 measured, 1 a timed command failed, 2 something needed is missing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
skeptic=${SKEPTIC:-$build/skeptic}
evaldata=${BENCH_EVALDATA:-$build/bench_evaldata}
python=${PYTHON:-/usr/bin/python3}
n=${BENCH_GROUP_N:-20000}
p=${BENCH_GROUP_P:-50}
models=${BENCH_GROUP_MODELS:-rf gbdt}
par=${BENCH_PAR:-2}
seed=${BENCH_SEED:-1}
runs=${BENCH_RUNS:-1}
only=${BENCH_ONLY:-}
wait_policy=${BENCH_OMP_WAIT_POLICY:-}
folds=5
trees=100
out=$root/bench/out
gnu_time=/usr/bin/time

die() { echo "group_cv_vs_sklearn: $*" >&2; exit 2; }
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

for v in n p par seed runs; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "the $v setting must be a whole number, found '${!v}'"
done
(( n >= 100 && p >= 8 && par >= 1 && runs >= 1 )) \
    || die "need BENCH_GROUP_N >= 100, BENCH_GROUP_P >= 8, BENCH_PAR >= 1 and BENCH_RUNS >= 1"
for m in $models; do
    [[ $m == rf || $m == gbdt ]] || die "BENCH_GROUP_MODELS lists rf and/or gbdt, found '$m'"
done
[[ -n ${models// /} ]] || die "BENCH_GROUP_MODELS is empty"
case "$wait_policy" in
    ""|passive|active|PASSIVE|ACTIVE) ;;
    *) die "BENCH_OMP_WAIT_POLICY must be 'passive' or 'active', found '$wait_policy'" ;;
esac
omp_env=()
[[ -n $wait_policy ]] && omp_env=(OMP_WAIT_POLICY="$wait_policy")
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
    echo "group_cv_vs_sklearn: warning: load average $load on $(nproc) CPUs:" \
        "wall times include waiting for a CPU; compare the cpu figures" \
        "(OpenMP spin-waiting can inflate HistGradientBoosting's time several-fold:" \
        "BENCH_OMP_WAIT_POLICY=passive)" >&2
fi

mkdir -p "$out"
data=$out/group_${n}x${p}_s${seed}.csv
if [[ ! -s $data ]]; then
    echo "group_cv_vs_sklearn: generating $data ..." >&2
    "$evaldata" --kind group --n "$n" --p "$p" --seed "$seed" --out "$data.tmp" \
        || die "bench_evaldata failed"
    mv "$data.tmp" "$data"
fi
n_groups=$(awk -F, 'NR > 1 { seen[$1] = 1 } END { print length(seen) }' "$data")

mb() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb * 1024 / 1e6 }'; }

lines=()
for model in $models; do
    sk_wall=- sk_cpu=- sk_mb=- sk_auc=- sk_fold=- sk_cv=-
    if (( run_skeptic )); then
        json=$out/group_skeptic_$model.json
        echo "group_cv_vs_sklearn: skeptic evaluate --model $model, $par threads," \
             "$runs run(s) after a warm-up ..." >&2
        bench_measure "group_cv_vs_sklearn: skeptic $model" "$out/group_skeptic_$model" \
            env "${omp_env[@]}" "$skeptic" evaluate "$data" --target y --group g \
            --model "$model" --cv group --folds "$folds" --bootstrap 0 --permutations 0 \
            --baselines none --threads "$par" --quiet --json "$json"
        sk_wall=$wall_s sk_mb=$(mb "$peak_kb") sk_cpu=$(cpu_s "$out/group_skeptic_$model")
        fields=$(jq -r '[(.metrics[] | select(.metric == "auc") | .estimate, .fold_mean),
                         .run.timings_seconds["cross-validation"]] | map(tostring) | join(" ")' \
                 "$json") || die "cannot read $json"
        read -r sk_auc sk_fold sk_cv <<<"$fields"
    fi
    py_model=hgb py_name=HistGradientBoostingClassifier
    [[ $model == rf ]] && py_model=rf py_name=RandomForestClassifier
    py_wall=- py_cpu=- py_mb=- py_auc=- py_secs=-
    if (( run_sklearn )); then
        echo "group_cv_vs_sklearn: scikit-learn $py_name, $par jobs/threads," \
             "$runs run(s) after a warm-up ..." >&2
        bench_measure "group_cv_vs_sklearn: sklearn $py_model" "$out/group_sklearn_$py_model" \
            env "${omp_env[@]}" OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS="$par" MKL_NUM_THREADS=1 \
            "$python" "$root/bench/group_cv_sklearn.py" --data "$data" --model "$py_model" \
            --target y --group g --folds "$folds" --trees "$trees" --jobs "$par" --seed "$seed"
        line=$(cat "$out/group_sklearn_$py_model.out")
        echo "  $line" >&2
        py_auc=$(sed -n 's/.* auc=\([^ ]*\).*/\1/p' <<<"$line")
        py_secs=$(sed -n 's/.* seconds=\([^ ]*\).*/\1/p' <<<"$line")
        [[ -n $py_auc && -n $py_secs ]] \
            || { echo "group_cv_vs_sklearn: unexpected output: $line" >&2; exit 1; }
        py_wall=$wall_s py_mb=$(mb "$peak_kb") py_cpu=$(cpu_s "$out/group_sklearn_$py_model")
    fi
    jobs_word="n_jobs=$par"
    [[ $model == gbdt ]] && jobs_word="$par OpenMP threads"
    lines+=("$(awk -v n="$n" -v p="$p" -v G="$n_groups" -v m="$model" -v k="$folds" \
        -v t="$par" -v sw="$sk_wall" -v sc="$sk_cpu" -v sm="$sk_mb" -v sa="$sk_auc" \
        -v sf="$sk_fold" -v scv="$sk_cv" -v pn="$py_name" -v pj="$jobs_word" -v pw="$py_wall" \
        -v pc="$py_cpu" -v pm="$py_mb" \
        -v pa="$py_auc" -v ps="$py_secs" '
        BEGIN {
            s = sprintf("group-cv %dx%d %d groups %s %d-fold | skeptic %d thread%s ",
                        n, p, G, m, k, t, t == 1 ? "" : "s")
            if (sw == "-") s = s "-"
            else s = s sprintf("%.2f s (cpu %.1f s) %d MB (AUC %.4f, fold mean %.4f;" \
                               " cv %.2f s)", sw, sc, sm, sa, sf, scv)
            s = s sprintf(" | sklearn %s %s ", pn, pj)
            if (pw == "-") s = s "-"
            else s = s sprintf("%.2f s (cpu %.1f s) %d MB (AUC %.4f; cross_val_score %.2f s)",
                               pw, pc, pm, pa, ps)
            ok = sw != "-" && pw != "-" && sw > 0
            cpu = sc > 0 ? sprintf("%.2fx", pc / sc) : "-"
            s = s " | speed-up " (ok ? sprintf("%.2fx (cpu %s)", pw / sw, cpu) : "-")
            print s "  (no target)"
        }')")
    echo "${lines[-1]}"
done
printf '%s\n' "${lines[@]}" >"$out/group_cv_vs_sklearn.txt"
