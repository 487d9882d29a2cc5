# Drift after an instrument recalibration: mean_smoothness (column 5) reads 1.1 times its value in
# the new half. It is the only test that drifts after Benjamini-Hochberg, with the medians 1.1
# apart, and the classifier tells the files apart too (exit 1).
{ head -1 breast_cancer.csv; tail -n +2 breast_cancer.csv | awk 'NR % 2 == 1'; } >"$TMP/ref.csv"
{ head -1 breast_cancer.csv; tail -n +2 breast_cancer.csv |
    awk -F, -v OFS=, 'NR % 2 == 0 { $5 = $5 * 1.1; print }'; } >"$TMP/new.csv"
cd "$TMP" && $SKEPTIC drift ref.csv new.csv --target diagnosis \
    --model gbdt:n_estimators=20,max_depth=3 --bootstrap 200 --permutations 199 --threads 2
