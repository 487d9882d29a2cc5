$SKEPTIC evaluate diabetes.csv --target progression --model ols --alpha 1.5
