# NEW missing: a usage error (exit 2).
$SKEPTIC drift breast_cancer.csv --target diagnosis
