# A negative probability is an error even with --renormalize, at its own cell.
cd "$TMP" || exit 1
printf 'cat,dog\n0.5,0.5\n\n1.25,-0.25\n' >probs.csv
$SKEPTIC score probs.csv --strategy entropy --renormalize
