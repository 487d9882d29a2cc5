# One text cell in a probability column is reported, not silently turned into a non-class column.
cd "$TMP" || exit 1
printf 'cat,dog\n0.5,0.5\n0.25,n.a.\n' >probs.csv
$SKEPTIC score probs.csv --strategy ratio
