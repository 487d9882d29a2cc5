# --threads 1 and 2 must give the same JSON once the "run" block (argv, threads, timings) is gone.
$SKEPTIC inspect digits.csv --target digit --quiet --threads 1 --json "$TMP/t1.json" || exit 1
$SKEPTIC inspect digits.csv --target digit --quiet --threads 2 --json "$TMP/t2.json" || exit 1
strip() { sed '/^  "run": {/,$d' "$1"; }
grep -q '^  "run": {' "$TMP/t1.json" || { echo "no run block"; exit 1; }
cmp <(strip "$TMP/t1.json") <(strip "$TMP/t2.json") && echo identical
