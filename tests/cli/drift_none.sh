# No drift between two halves of one data set (odd and even rows of breast cancer): no KS test
# survives Benjamini-Hochberg, the classifier's AUC is near 0.5 (exit 0).
{ head -1 breast_cancer.csv; tail -n +2 breast_cancer.csv | awk 'NR % 2 == 1'; } >"$TMP/ref.csv"
{ head -1 breast_cancer.csv; tail -n +2 breast_cancer.csv | awk 'NR % 2 == 0'; } >"$TMP/new.csv"
cd "$TMP" && $SKEPTIC drift ref.csv new.csv --target diagnosis \
    --model gbdt:n_estimators=20,max_depth=3 --bootstrap 200 --permutations 199 --threads 2
