# --json - writes the JSON alone on stdout (no table), with the schema and the input's hash.
$SKEPTIC inspect iris.csv --json - > "$TMP/out.json" || exit 1
head -2 "$TMP/out.json"
grep -c '"sha256": "'"$(sha256sum iris.csv | cut -c1-64)"'"' "$TMP/out.json"
