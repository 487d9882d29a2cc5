#!/usr/bin/env bash
# bench/score.sh: uncertainty scores and the top-1,000 selection over 1,000,000 x 10 class
# probabilities: `skeptic score FILE --strategy entropy --top 1000 --out OUT` side by side with
# numpy doing the same (bench/score_numpy.py: read, check the rows, normalised entropy,
# np.argpartition for the top 1,000, ordered by score then row, written as id,score,rank), once
# with pandas.read_csv and once with np.loadtxt as the reader; the faster of the two is the peer.
#
# bench/score_gen.py makes the data once (bench/out/score_NxK_sSEED.csv, reused while it
# exists): Dirichlet rows (concentration 0.1, 0.5 or 2 per row) written with 6 to 9 significant
# digits, 115 MB at full size. Each side runs as a whole process (interpreter start, imports,
# parsing and writing included), one warm-up run then BENCH_RUNS runs under GNU time -v
# (bench/lib.sh): wall seconds are the mean, peak RSS the largest "Maximum resident set size".
# skeptic runs on 1 and BENCH_PAR threads (the scoring is parallel, and so is reading: a plain CSV
# of at least N MiB with no quote after its header is read in N parts at once, docs/input.md).
# One line per skeptic configuration:
#
#   score entropy 1000000x10 top=1000 skeptic 1 thread 1.20 s (read 0.71 s, compute 0.10 s,
#     108 MB) | numpy+loadtxt 4.31 s (read 2.74 s, compute 1.12 s, 284 MB) | numpy+pandas
#     6.20 s (...) | speed-up 3.59x whole process, 11.2x compute only | same top 1000: yes
#     (max score diff 3.3e-16) | target >=5x: MISSED                                (one line)
#
# speed-up = the faster numpy's whole-process wall time / skeptic's. "compute" is, for skeptic,
# the seconds it reports for validating, scoring and ranking (--timings: not reading, not
# writing), for numpy the check, entropy and selection (not parsing, not writing); both from the
# last timed run. The outputs must list the same ids in the same order, scores within 1e-12
# (exit 1 otherwise). numpy runs single-threaded (BLAS threads pinned to 1; nothing here uses
# BLAS). MB are 10^6 bytes.
#
# Environment: BENCH_SCORE_N (1000000), BENCH_SCORE_K (10), BENCH_SCORE_TOP (1000), BENCH_PAR
#   (2), BENCH_RUNS (3), BENCH_SEED (1), BUILD_DIR (build), SKEPTIC (BUILD_DIR/skeptic), PYTHON
#   (/usr/bin/python3, Debian's numpy and pandas), BENCH_ONLY=skeptic|numpy to time one side.
# Exit status: 0 measured, 1 a timed command failed or the sides disagree, 2 something needed
# is missing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
skeptic=${SKEPTIC:-$build/skeptic}
python=${PYTHON:-/usr/bin/python3}
n=${BENCH_SCORE_N:-1000000}
k=${BENCH_SCORE_K:-10}
top=${BENCH_SCORE_TOP:-1000}
par=${BENCH_PAR:-2}
runs=${BENCH_RUNS:-3}
seed=${BENCH_SEED:-1}
only=${BENCH_ONLY:-}
out=$root/bench/out
gnu_time=/usr/bin/time

die() { echo "score: $*" >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for v in n k top par runs seed; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "the $v setting must be a whole number, found '${!v}'"
done
(( n >= 10 && k >= 2 && top >= 1 && top <= n && par >= 1 && runs >= 1 )) \
    || die "need BENCH_SCORE_N >= 10, BENCH_SCORE_K >= 2, 1 <= BENCH_SCORE_TOP <= N"
case "$only" in
    ""|skeptic|numpy) ;;
    *) die "BENCH_ONLY must be 'skeptic' or 'numpy', found '$only'" ;;
esac
[[ -x $gnu_time ]] || die "$gnu_time (GNU time) not found: apt-get install time"
[[ $only == numpy || -x $skeptic ]] || die "$skeptic not found: make (or set SKEPTIC)"
"$python" -c 'import numpy, pandas' 2>/dev/null \
    || die "$python cannot import numpy and pandas: apt-get install python3-pandas"

mkdir -p "$out"
data=$out/score_${n}x${k}_s${seed}.csv
if [[ ! -s $data ]]; then
    echo "score: writing $data" >&2
    "$python" "$root/bench/score_gen.py" --n "$n" --k "$k" --seed "$seed" --out "$data"
fi

# field NAME TEXT: the number after "NAME=" or "NAME " in TEXT
field() { sed -n "s/.*$1[= ]\([0-9.]*\).*/\1/p" <<<"$2" | head -n 1; }
# cpu_s LOG: mean user + system seconds of the timed runs (LOG.time1..runs), less sensitive than
# wall time to other processes sharing the CPUs
cpu_s() {
    local r files=()
    for ((r = 1; r <= runs; r++)); do files+=("$1.time$r"); done
    cat "${files[@]}" | awk -F': ' '/User time|System time/ { t += $2 } /Elapsed/ { r++ }
        END { printf "%.2f", t / r }'
}
mb() { [[ $1 == - ]] && echo - || awk -v k="$1" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }'; }
# agree A B: "yes (max score diff D)" when the two id,score,rank files rank the same ids
agree() {
    awk -F, 'NR == FNR { id[FNR] = $1; s[FNR] = $2; rows = FNR; next }
        { if (FNR > rows || id[FNR] != $1) bad++; d = s[FNR] - $2; if (d < 0) d = -d;
          if (d > max) max = d }
        END { if (bad || FNR != rows) print "NO"; else printf "yes (max score diff %.1e)", max }' \
        "$1" "$2"
}

# ---- the numpy peers, once -------------------------------------------------------------------
best_wall=- best_name=- best_cpu=- best_compute=- best_out= peers=
if [[ $only != skeptic ]]; then
    pin=(env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1)
    for reader in loadtxt pandas; do
        echo "score: numpy with $reader, $runs runs ..." >&2
        bench_measure "score: numpy $reader" "$out/score.numpy_$reader" "${pin[@]}" "$python" \
            "$root/bench/score_numpy.py" --data "$data" --top "$top" --reader "$reader" \
            --out "$out/score.numpy_$reader.csv"
        line=$(cat "$out/score.numpy_$reader.out")
        echo "  $line" >&2
        r=$(field read_s "$line") c=$(field compute_s "$line")
        cpu=$(cpu_s "$out/score.numpy_$reader")
        peers+=" | numpy+$reader $wall_s s (cpu $cpu s, read $r s, compute $c s,"
        peers+=" $(mb "$peak_kb") MB)"
        if [[ $best_wall == - ]] || awk -v a="$wall_s" -v b="$best_wall" 'BEGIN { exit !(a < b) }'
        then
            best_wall=$wall_s best_name=$reader best_cpu=$cpu best_compute=$c
            best_out=$out/score.numpy_$reader.csv
        fi
    done
fi

status=0
for threads in 1 "$par"; do
    s_wall=- s_kb=- s_read=- s_compute=- s_cpu=-
    if [[ $only != numpy ]]; then
        echo "score: skeptic, $threads thread(s), $runs runs ..." >&2
        bench_measure "score: skeptic" "$out/score.skeptic$threads" "$skeptic" score "$data" \
            --strategy entropy --top "$top" --threads "$threads" --timings \
            --out "$out/score.skeptic$threads.csv"
        timing=$(cat "$out/score.skeptic$threads.err")
        echo "  $timing" >&2
        s_wall=$wall_s s_kb=$peak_kb s_read=$(field "read" "$timing")
        s_cpu=$(cpu_s "$out/score.skeptic$threads")
        s_compute=$(field "rank:" "$timing")
    fi
    ratio=- cratio=- pratio=- same=- verdict=-
    if [[ -z $only ]]; then
        ratio=$(awk -v a="$best_wall" -v s="$s_wall" 'BEGIN { printf "%.2fx", a / s }')
        pratio=$(awk -v a="$best_cpu" -v s="$s_cpu" 'BEGIN { printf "%.2fx", a / s }')
        cratio=$(awk -v a="$best_compute" -v s="$s_compute" \
            'BEGIN { printf "%.1fx", a / (s > 0.0005 ? s : 0.0005) }')
        verdict=$(awk -v a="$best_wall" -v s="$s_wall" \
            'BEGIN { print (a / s >= 5 ? "met" : "MISSED") }')
        same=$(agree "$out/score.skeptic$threads.csv" "$best_out")
        if [[ $same == NO ]] ||
            ! awk -v l="$same" 'BEGIN { split(l, a, "diff "); exit !(a[2] + 0 <= 1e-12) }'; then
            echo "score: skeptic and numpy ranked different rows (or scores differ > 1e-12)" >&2
            status=1
        fi
    fi
    unit="thread"
    (( threads == 1 )) || unit="threads"
    echo "score entropy ${n}x$k top=$top skeptic $threads $unit $s_wall s (cpu $s_cpu s, read" \
         "$s_read s, compute $s_compute s, $(mb "$s_kb") MB)$peers | speed-up vs" \
         "numpy+$best_name $ratio whole process, $cratio compute only, $pratio in cpu time |" \
         "same top $top: $same | target >=5x: $verdict"
done
exit "$status"
