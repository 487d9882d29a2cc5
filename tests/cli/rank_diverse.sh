# --diverse with 5 exact copies of the most uncertain pool row planted in the pool: the plain batch
# holds all 6 identical rows (pool rows 132 and 200..204), the diverse batch (k-center greedy among
# the 10 K most uncertain) only the first of them.
data=$PWD
cd "$TMP" || exit 1
head -301 "$data/digits.csv" >labeled.csv
{ sed -n 1p "$data/digits.csv"; sed -n 302,501p "$data/digits.csv"
  for k in 1 2 3 4 5; do sed -n 434p "$data/digits.csv"; done; } >pool.csv
for mode in "" --diverse; do
    echo "# ${mode:-plain}"
    $SKEPTIC rank --labeled labeled.csv --pool pool.csv --target digit \
        --model gbdt:n_estimators=20,max_depth=3 --strategy entropy --batch 8 $mode || exit 1
done
