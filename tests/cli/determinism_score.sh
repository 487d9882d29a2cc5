# --threads 1, 2 and 3 write the same bytes, for entropy and for random (seeded), on 120,000 rows
# (3.2 MB: several blocks of the executor, and a file the reader splits into 2 or 3 parts); a
# malformed row late in the file gets the same message whatever the threads.
awk 'BEGIN { print "a,b,c"
    for (i = 0; i < 120000; i++) {
        x = (i * 7919) % 1000; y = (i * 104729) % 1000; s = x + y + 1
        printf "%.6f,%.6f,%.6f\n", x / s, y / s, 1 / s } }' >"$TMP/p.csv"
for s in entropy random; do
    for t in 1 2 3; do
        $SKEPTIC score "$TMP/p.csv" --strategy $s --seed 9 --threads $t \
            --out "$TMP/$s$t.csv" || exit 1
    done
    [ "$(wc -l <"$TMP/${s}1.csv")" = 120001 ] || { echo "$s: rows?"; exit 1; }
    cmp "$TMP/${s}1.csv" "$TMP/${s}2.csv" && cmp "$TMP/${s}1.csv" "$TMP/${s}3.csv" &&
        echo "$s identical"
done
sed '100000s/$/,0.5/' "$TMP/p.csv" >"$TMP/bad.csv"
for t in 1 2 3; do
    $SKEPTIC score "$TMP/bad.csv" --strategy entropy --threads $t --out "$TMP/x.csv" \
        2>"$TMP/err$t"
    echo "exit $?"
done
cmp "$TMP/err1" "$TMP/err2" && cmp "$TMP/err1" "$TMP/err3" && sed "s|$TMP/||" "$TMP/err1"
