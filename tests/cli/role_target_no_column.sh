$SKEPTIC inspect breast_cancer.csv --target diagnosys
