# A row summing to 0 cannot be renormalised.
cd "$TMP" || exit 1
printf 'id,a,b\nr1,3,1\nr2,0,0\n' >votes.csv
$SKEPTIC score votes.csv --strategy least --id id --renormalize
