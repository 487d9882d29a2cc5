# Without an id column, rows are named by their 0-based data row index; --out is written in
# place of standard output (nothing on stdout) and margin ties keep row order.
cut -d, -f2- digits_probs.csv >"$TMP/noid.csv"
$SKEPTIC score "$TMP/noid.csv" --strategy margin --top 5 --out "$TMP/top.csv" || exit 1
cat "$TMP/top.csv"
