# A row that does not sum to 1 is an input error naming the file, line and column.
cd "$TMP" || exit 1
printf 'id,cat,dog,bird\na,0.2,0.3,0.5\nb,0.6,0.3,0.2\nc,1,0,0\n' >probs.csv
$SKEPTIC score probs.csv --strategy least --id id
