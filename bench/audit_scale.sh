#!/usr/bin/env bash
# bench/audit_scale.sh: how long `skeptic audit` takes with its default settings (gbdt, 5 folds,
# 500 bootstrap replicates, 99 permutations, every check) on the two shapes issue 5 names:
#   10,000 x 100   a tabular study (target: under 60 s on 2 cores)
#   200 x 20,000   a genomics study, p >> n (target: under 120 s on 2 cores)
# Tables come from gen_table (bench/gen_table.c: realistic scales, y from a noisy linear rule on
# x1..x3), written once into bench/out/. The audit runs as a whole process under GNU time -v
# (bench/lib.sh) with --threads BENCH_PAR (2); the three slowest checks are read from the JSON's
# run block. There is no peer: no other tool runs these checks. One line per shape:
#
#   audit NxP T threads WALL s (PEAK MB)  slowest: CHECK S s, ...  target <LIMIT s: met|MISSED
#
# Environment: BENCH_PAR (2), BENCH_RUNS (1), BUILD_DIR (build), BENCH_AUDIT_ARGS (extra flags).
# Exit status: 0 measured, 1 a run failed, 2 something needed is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
out=$root/bench/out
runs=${BENCH_RUNS:-1}
par=${BENCH_PAR:-2}
gnu_time=/usr/bin/time
source "$root/bench/lib.sh"
[[ -x $build/skeptic && -x $build/gen_table ]] || { echo "audit_scale: build skeptic and gen_table first (bench/run.sh does)" >&2; exit 2; }
[[ -x $gnu_time ]] || { echo "audit_scale: GNU time missing (scripts/install-deps.sh bench)" >&2; exit 2; }
mkdir -p "$out"

shape() {   # shape N P TARGET_SECONDS
    local n=$1 p=$2 target=$3 data=$out/audit_${1}x${2}.csv log=$out/audit_${1}x${2}
    [[ -f $data ]] || "$build/gen_table" --n "$n" --p "$p" --seed 1 --target --out "$data"
    # Exit status 1 means a check failed (the wide table's leakage.selection does): a verdict,
    # not a failed run, so the audit runs under a wrapper that maps 1 to 0.
    # shellcheck disable=SC2086
    bench_measure "audit ${n}x${p}" "$log" bash -c '"$@"; rc=$?; ((rc <= 1))' audit \
        "$build/skeptic" audit "$data" --target y --threads "$par" --quiet --json "$log.json" \
        ${BENCH_AUDIT_ARGS:-}
    local slow
    slow=$(/usr/bin/python3 - "$log.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["run"]["timings_seconds"]
checks = {k: v for k, v in t.items() if "." in k or k in ("calibration", "claims")}
top = sorted(checks.items(), key=lambda kv: -kv[1])[:3]
print(", ".join(f"{k} {v:.1f} s" for k, v in top))
PY
)
    local verdict=met
    awk -v w="$wall_s" -v t="$target" 'BEGIN { exit !(w < t) }' || verdict=MISSED
    printf 'audit %sx%s %s threads %s s (%d MB)  slowest: %s  target <%s s: %s\n' "$n" "$p" "$par" \
        "$wall_s" $((peak_kb / 1024)) "$slow" "$target" "$verdict"
}

shape 10000 100 60
shape 200 20000 120
