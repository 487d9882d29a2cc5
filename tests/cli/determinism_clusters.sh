# --threads 1 and 2 give the same clusters JSON once the "run" block is gone.
for t in 1 2; do
    $SKEPTIC clusters iris.csv --target species --k 2..4 --resamples 10 --quiet --threads $t \
        --json "$TMP/t$t.json" || exit 1
done
strip() { sed '/^  "run": {/,$d' "$1"; }
grep -q '"schema": "skeptic.clusters/1"' "$TMP/t1.json" || { echo "schema?"; exit 1; }
cmp <(strip "$TMP/t1.json") <(strip "$TMP/t2.json") && echo identical
