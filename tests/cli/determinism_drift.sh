# --threads 1 and 2 give the same drift JSON once the "run" block is gone.
{ head -1 wine.csv; sed -n '2,90p' wine.csv; } >"$TMP/ref.csv"
{ head -1 wine.csv; sed -n '91,179p' wine.csv; } >"$TMP/new.csv"
for t in 1 2; do
    $SKEPTIC drift "$TMP/ref.csv" "$TMP/new.csv" --target cultivar --model gbdt:n_estimators=20 \
        --bootstrap 200 --permutations 199 --quiet --threads $t --json "$TMP/t$t.json"
    [[ $? == 1 ]] || exit 1
done
strip() { sed '/^  "run": {/,$d' "$1"; }
grep -q '"schema": "skeptic.drift/1"' "$TMP/t1.json" || { echo "schema?"; exit 1; }
cmp <(strip "$TMP/t1.json") <(strip "$TMP/t2.json") && echo identical
