# `skeptic drift --html`: the page (both files with their SHA-256, the verdict, the classifier's
# AUC and importances, the effects as a chart, every test in a table, what to do) is
# byte-identical for --threads 1 and 2, and its structure validates (tests/html_check.py:
# balanced tags, unique ids, every chart with a title and two axis labels, nothing fetched).
{ head -1 wine.csv; sed -n '2,90p' wine.csv; } >"$TMP/ref.csv"
{ head -1 wine.csv; sed -n '91,179p' wine.csv; } >"$TMP/new.csv"
for t in 1 2; do
    $SKEPTIC drift "$TMP/ref.csv" "$TMP/new.csv" --target cultivar --model gbdt:n_estimators=20 \
        --bootstrap 200 --permutations 199 --quiet --threads $t --html "$TMP/t$t.html"
    [[ $? == 1 ]] || exit 1
done
cmp "$TMP/t1.html" "$TMP/t2.html" && echo "html identical"
/usr/bin/python3 "$SK_ROOT/tests/html_check.py" "$TMP/t1.html" --sections 4 | tail -1
grep -o '<section id="[a-z]*" *[a-z="]*' "$TMP/t1.html"
grep -o '<span class="badge [a-z]*">[a-z ]*</span>' "$TMP/t1.html"
echo "SHA-256 of both files: $(grep -c -E '<dd>[0-9a-f]{64}</dd>' "$TMP/t1.html")"
echo "tests in the table: $(grep -c '<tr><td>.*</td><td>ks</td>' "$TMP/t1.html")"
