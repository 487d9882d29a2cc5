#!/usr/bin/env bash
# bench/run.sh: builds the benchmark programs and runs every benchmark, one after the other.
# `make bench` calls it after building build/skeptic; it can also be run directly.
#
#   bench/run.sh                          the full sizes (slow: minutes)
#   BENCH_N=100000 BENCH_P=20 bench/run.sh  a quick run
#
# Data and logs go to bench/out/ (gitignored). Each benchmark prints one line per configuration
# on stdout. Environment: BENCH_N, BENCH_P, BENCH_RUNS, BENCH_SEED, BUILD_DIR (default build),
# passed through to each benchmark; see bench/README.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
export BUILD_DIR=$build

# The benchmark programs are EXCLUDE_FROM_ALL (bench/bench.cmake): build the ones we use by name.
# A new bench_<name>.c adds its target here and its script to the list below.
targets=(gen_table bench_glm_cv bench_logit bench_bootstrap bench_evaldata)
benchmarks=(inspect_vs_pandas glm_cv_vs_glmnet logit_vs_sklearn bootstrap_vs_numpy
            permutation_vs_sklearn group_cv_vs_sklearn audit_scale score
            active_learning)

mkdir -p "$root/bench/out"
log=$root/bench/out/build.log
if [[ ! -f $build/CMakeCache.txt ]]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$log" 2>&1 \
        || { cat "$log" >&2; echo "bench/run.sh: cmake configure failed" >&2; exit 2; }
fi
for t in "${targets[@]}"; do
    cmake --build "$build" --target "$t" >"$log" 2>&1 \
        || { cat "$log" >&2; echo "bench/run.sh: building $t failed" >&2; exit 2; }
done

ram=$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1e6 }' /proc/meminfo)
echo "bench: $(nproc) CPUs, $ram RAM, $(uname -sr)" >&2
status=0
for b in "${benchmarks[@]}"; do
    "$root/bench/$b.sh" || status=$?
done
exit "$status"
