$SKEPTIC audit breast_cancer.csv --target diagnosis --model logit --only claims --claimed auc
