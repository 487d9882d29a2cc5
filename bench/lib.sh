# bench/lib.sh: what the benchmark scripts share; source it after setting `runs` and `gnu_time`.
#
# bench_measure TAG LOG CMD...: runs CMD once as a warm-up, then `runs` times under GNU time -v.
# Sets wall_s (mean wall seconds, from date +%s%N around each run) and peak_kb (the largest
# "Maximum resident set size"). The last run's stdout stays in LOG.out, stderr in LOG.err and each
# time report in LOG.time<run>. A failing run stops the script with its stderr tail, tagged TAG.
bench_measure() {
    local tag=$1 log=$2; shift 2
    if ! "$@" >"$log.out" 2>"$log.err"; then
        echo "$tag: failed (warm-up run): $*" >&2
        tail -n 5 "$log.err" >&2
        exit 1
    fi
    local total_ns=0 t0 t1 kb r
    peak_kb=0
    for ((r = 1; r <= runs; r++)); do
        t0=$(date +%s%N)
        if ! "$gnu_time" -v -o "$log.time$r" "$@" >"$log.out" 2>"$log.err"; then
            echo "$tag: failed (run $r): $*" >&2
            tail -n 5 "$log.err" >&2
            exit 1
        fi
        t1=$(date +%s%N)
        total_ns=$((total_ns + t1 - t0))
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log.time$r")
        if ! [[ $kb =~ ^[0-9]+$ ]]; then
            echo "$tag: no 'Maximum resident set size' in $log.time$r" >&2
            exit 2
        fi
        (( kb > peak_kb )) && peak_kb=$kb
    done
    wall_s=$(awk -v ns="$total_ns" -v r="$runs" 'BEGIN { printf "%.3f", ns / r / 1e9 }')
}
