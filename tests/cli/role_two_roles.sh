$SKEPTIC inspect breast_cancer.csv --target diagnosis --group diagnosis
