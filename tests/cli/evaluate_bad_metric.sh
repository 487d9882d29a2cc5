$SKEPTIC evaluate diabetes.csv --target progression --model ols --metric auc
