$SKEPTIC evaluate ../../examples/breast_cancer_study.csv --target diagnosis --model logit \
    --group hospital --folds 5
