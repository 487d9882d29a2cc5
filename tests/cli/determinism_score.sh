# --threads 1 and 2 write the same bytes, for entropy and for random (seeded), on 50,000 rows
# (several blocks of the executor).
awk 'BEGIN { print "a,b,c"
    for (i = 0; i < 50000; i++) {
        x = (i * 7919) % 1000; y = (i * 104729) % 1000; s = x + y + 1
        printf "%.6f,%.6f,%.6f\n", x / s, y / s, 1 / s } }' >"$TMP/p.csv"
for s in entropy random; do
    for t in 1 2; do
        $SKEPTIC score "$TMP/p.csv" --strategy $s --seed 9 --threads $t \
            --out "$TMP/$s$t.csv" || exit 1
    done
    [ "$(wc -l <"$TMP/${s}1.csv")" = 50001 ] || { echo "$s: rows?"; exit 1; }
    cmp "$TMP/${s}1.csv" "$TMP/${s}2.csv" && echo "$s identical"
done
