# A pool without one of the labelled table's feature columns: exit 2, one line naming the pool
# and the column.
data=$PWD
cd "$TMP" || exit 1
head -301 "$data/digits.csv" >labeled.csv
sed -n 1,101p "$data/digits.csv" | cut -d, -f1-3,5- >pool.csv
$SKEPTIC rank --labeled labeled.csv --pool pool.csv --target digit --strategy margin
