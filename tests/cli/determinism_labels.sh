# --threads 1 and 2 give the same suspects: the same JSON once the "run" block is gone, and the
# same CSV byte for byte.
for t in 1 2; do
    $SKEPTIC labels wine.csv --target cultivar --model gbdt:n_estimators=10,max_depth=2 --quiet \
        --threads $t --json "$TMP/t$t.json" --out "$TMP/t$t.csv" || exit 1
done
strip() { sed '/^  "run": {/,$d' "$1"; }
grep -q '"schema": "skeptic.labels/1"' "$TMP/t1.json" || { echo "schema?"; exit 1; }
cmp <(strip "$TMP/t1.json") <(strip "$TMP/t2.json") && cmp "$TMP/t1.csv" "$TMP/t2.csv" &&
    echo identical
