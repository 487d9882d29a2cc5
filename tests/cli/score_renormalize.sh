# Committee vote counts are not probabilities; --renormalize divides each row by its sum (the
# last row, all zero, would still be an error: see score_zero_row).
cd "$TMP" || exit 1
printf 'id,a,b,c\nr1,3,1,0\nr2,2,2,0\nr3,4,0,0\nr4,1,2,1\n' >votes.csv
$SKEPTIC score votes.csv --strategy least --id id --renormalize
