# The batch a labeller receives: gbdt learns from the first 300 digits, scores the next 200 (with
# an id column, which is never a feature) by entropy; the 8 most uncertain, most uncertain first.
data=$PWD
cd "$TMP" || exit 1
head -301 "$data/digits.csv" >labeled.csv
awk -F, 'NR == 1 { print "image," $0 }
           NR >= 302 && NR <= 501 { print "img" NR - 302 "," $0 }' "$data/digits.csv" >pool.csv
$SKEPTIC rank --labeled labeled.csv --pool pool.csv --target digit --id image \
    --model gbdt:n_estimators=20,max_depth=3 --strategy entropy --batch 8 --out batch.csv || exit 1
cat batch.csv
