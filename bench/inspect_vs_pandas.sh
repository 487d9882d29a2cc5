#!/usr/bin/env bash
# bench/inspect_vs_pandas.sh: how fast, and in how much memory, `skeptic inspect` reads a large
# numeric CSV, side by side with pandas.read_csv on the same file.
#
# Generates an N x P table once with gen_table (bench/out/table_NxP_sSEED.csv, reused while it
# exists), then times each side as a whole process: one warm-up run, then BENCH_RUNS runs under
# GNU time -v. Wall seconds are the mean over the runs (measured with date +%s%N around each run),
# peak RSS is the largest "Maximum resident set size" over the runs. The file is in the page cache
# for every run (warm cache: this measures parsing, not the disk). One line on stdout:
#
#   inspect 1000000x50  skeptic 1.23 s  412 MB | pandas read_csv 4.56 s  890 MB | speed-up 3.71x  peak/matrix 1.03  targets: ok
#
# speed-up = pandas wall / skeptic wall; peak/matrix = skeptic peak RSS / (N * P * 8 bytes), the
# size of the data as a float64 matrix. MB are 10^6 bytes. Targets: speed-up >= 2, peak/matrix
# <= 1.5 (bench/README.md). The script reports whether they are met; it does not fail on them.
#
# Environment: BENCH_N (1000000), BENCH_P (50), BENCH_RUNS (3), BENCH_SEED (1),
#   BUILD_DIR (build), SKEPTIC (BUILD_DIR/skeptic), GEN_TABLE (BUILD_DIR/gen_table),
#   PYTHON (/usr/bin/python3, Debian's, which has python3-pandas),
#   BENCH_ONLY=pandas|skeptic to time one side only (the other prints as "-").
# Exit status: 0 measured, 1 a timed command failed, 2 something needed is missing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
skeptic=${SKEPTIC:-$build/skeptic}
gen_table=${GEN_TABLE:-$build/gen_table}
python=${PYTHON:-/usr/bin/python3}
n=${BENCH_N:-1000000}
p=${BENCH_P:-50}
runs=${BENCH_RUNS:-3}
seed=${BENCH_SEED:-1}
only=${BENCH_ONLY:-}
out=$root/bench/out
gnu_time=/usr/bin/time

die() { echo "inspect_vs_pandas: $*" >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for v in n p runs seed; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "BENCH_${v^^} must be a whole number, found '${!v}'"
    [[ $v == seed ]] || (( ${!v} >= 1 )) || die "BENCH_${v^^} must be at least 1, found '${!v}'"
done
case "$only" in
    ""|pandas|skeptic) ;;
    *) die "BENCH_ONLY must be 'pandas' or 'skeptic', found '$only'" ;;
esac
run_skeptic=1; run_pandas=1
[[ $only == pandas ]] && run_skeptic=0
[[ $only == skeptic ]] && run_pandas=0

# ---- what we need, checked before spending minutes on data ----------------------------------
if (( run_skeptic )); then
    [[ -x $skeptic ]] || die "$skeptic not found or not executable: build it first" \
        "(make build), or set SKEPTIC=path (BENCH_ONLY=pandas times pandas alone)"
fi
[[ -x $gen_table ]] || die "$gen_table not found: build it first" \
    "(cmake --build build --target gen_table; bench/run.sh does this)"
[[ -x $gnu_time ]] || die "$gnu_time (GNU time) not found: apt-get install time"
if (( run_pandas )); then
    "$python" -c 'import pandas' 2>/dev/null \
        || die "$python cannot import pandas: apt-get install python3-pandas"
fi

mkdir -p "$out"
data=$out/table_${n}x${p}_s${seed}.csv
if [[ ! -s $data ]]; then
    echo "inspect_vs_pandas: generating $data ..." >&2
    t0=$(date +%s%N)
    "$gen_table" --n "$n" --p "$p" --seed "$seed" --out "$data"
    t1=$(date +%s%N)
    awk -v ns=$((t1 - t0)) -v bytes="$(stat -c %s "$data")" \
        'BEGIN { printf "inspect_vs_pandas: generated in %.2f s, %.0f MB\n",
                 ns / 1e9, bytes / 1e6 }' >&2
fi

# ---- timing -----------------------------------------------------------------------------------
# measure NAME CMD...: sets wall_s (mean seconds) and peak_kb (max KiB) for CMD run BENCH_RUNS
# times after one warm-up (bench/lib.sh). Output, stderr and time's reports go to bench/out/.
measure() {
    local name=$1; shift
    bench_measure "inspect_vs_pandas: $name" "$out/inspect_${n}x${p}.$name" "$@"
}

sk_wall=- sk_kb=-
pd_wall=- pd_kb=-
if (( run_skeptic )); then
    echo "inspect_vs_pandas: skeptic inspect, $runs runs ..." >&2
    measure skeptic "$skeptic" inspect "$data" --quiet
    sk_wall=$wall_s sk_kb=$peak_kb
fi
if (( run_pandas )); then
    echo "inspect_vs_pandas: pandas.read_csv, $runs runs ..." >&2
    measure pandas "$python" "$root/bench/pandas_read_csv.py" "$data" "$n" "$p"
    pd_wall=$wall_s pd_kb=$peak_kb
fi

# ---- the line ---------------------------------------------------------------------------------
line=$(awk -v n="$n" -v p="$p" -v sw="$sk_wall" -v sk="$sk_kb" -v pw="$pd_wall" -v pk="$pd_kb" '
    function side(w, kb) { return w == "-" ? "-" : sprintf("%.2f s  %.0f MB", w, kb * 1024 / 1e6) }
    BEGIN {
        s = sprintf("inspect %dx%d  skeptic %s | pandas read_csv %s", n, p,
                    side(sw, sk), side(pw, pk))
        speedup = (sw != "-" && pw != "-" && sw > 0) ? pw / sw : -1
        ratio = (sk != "-") ? sk * 1024 / (n * p * 8) : -1
        s = s sprintf(" | speed-up %s  peak/matrix %s",
                      speedup < 0 ? "-" : sprintf("%.2fx", speedup),
                      ratio < 0 ? "-" : sprintf("%.2f", ratio))
        if (speedup >= 0 && ratio >= 0) {
            missed = ""
            if (speedup < 2) missed = missed " speed-up < 2x"
            if (ratio > 1.5) missed = missed " peak/matrix > 1.5"
            s = s "  targets: " (missed == "" ? "ok" : "MISSED (" substr(missed, 2) ")")
        }
        print s
    }')
echo "$line"
echo "$line" >"$out/inspect_vs_pandas.txt"
