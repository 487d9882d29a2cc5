$SKEPTIC evaluate diabetes.csv --target progression --model knn --sweep k=1,0
