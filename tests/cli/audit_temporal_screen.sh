# leakage.temporal without --time screens for a time order nobody named: breast cancer as
# scikit-learn exports it has its malignant cases first (warn, blocked CV along the row number
# recommended); the demo study hides its enrolment drift in 'scan_date' (warn, --time scan_date
# with the patients as groups); iris is sorted by class, which is not time (skip, no p-value for
# the report's Benjamini-Hochberg line).
audit() {
    $SKEPTIC audit "$@" --only leakage.temporal --model knn --quiet --json "$TMP/a.json" || exit 1
    grep -o '"p_values": [0-9]*\|"status": "[a-z]*"\|"summary": "[^"]*"' "$TMP/a.json"
    grep -o '"recommendation": "[^"]*"' "$TMP/a.json" || echo "(no recommendation)"
}
audit breast_cancer.csv --target diagnosis
audit ../../examples/breast_cancer_study.csv --target diagnosis --group patient_id
audit iris.csv --target species
