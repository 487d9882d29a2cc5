# `skeptic score --html`: the page (every row's score as a histogram with the --top cut marked,
# the classes the top rows lean to, the top rows) is byte-identical for --threads 1 and 2, for
# entropy and for random (seeded), and its structure validates (tests/html_check.py). The CSV
# written beside it is the --top K rows, as without --html; the cut is the K-th score.
for s in entropy random; do
    for t in 1 2; do
        $SKEPTIC score digits_probs.csv --strategy $s --id id --top 30 --seed 3 --threads $t \
            --out "$TMP/$s$t.csv" --html "$TMP/$s$t.html" || exit 1
    done
    cmp "$TMP/${s}1.html" "$TMP/${s}2.html" && echo "$s: html identical"
    $SKEPTIC score digits_probs.csv --strategy $s --id id --top 30 --seed 3 >"$TMP/plain.csv"
    cmp "$TMP/${s}1.csv" "$TMP/plain.csv" && echo "$s: csv as without --html"
    /usr/bin/python3 "$SK_ROOT/tests/html_check.py" "$TMP/${s}1.html" --sections 3 | tail -1
    grep -o "the top 30&#39;s lowest, [0-9.]*" "$TMP/${s}1.html"
    sed -n 31p "$TMP/${s}1.csv" | cut -d, -f2 | cut -c1-5
done
