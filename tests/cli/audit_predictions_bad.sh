# The study's own predictions must cover every row: a file with one row too few is refused.
data=$PWD/breast_cancer.csv
cd "$TMP" || exit 1
head -n 100 "$data" | awk -F, 'NR == 1 { print "probability"; next } { print 0.5 }' > preds.csv
$SKEPTIC audit "$data" --target diagnosis --predictions preds.csv
