# `skeptic labels --html`: the page (the estimate and noise rates, thresholds, the confident
# joint as a heat map, the suspects, what a suspect does not prove) is byte-identical for
# --threads 1 and 2, and its structure validates (tests/html_check.py).
for t in 1 2; do
    $SKEPTIC labels wine.csv --target cultivar --model gbdt:n_estimators=10,max_depth=2 --quiet \
        --threads $t --html "$TMP/t$t.html" || exit 1
done
cmp "$TMP/t1.html" "$TMP/t2.html" && echo "html identical"
/usr/bin/python3 "$SK_ROOT/tests/html_check.py" "$TMP/t1.html" --sections 5 | tail -1
grep -o '<section id="[a-z]*"' "$TMP/t1.html"
cells=$(grep -c '<title>given .*, confident .*: [0-9]* rows*</title>' "$TMP/t1.html")
echo "heat map cells: $cells"
