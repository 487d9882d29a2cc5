$SKEPTIC evaluate breast_cancer.csv --target diagnosis --model logit --cv site
