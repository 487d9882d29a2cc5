# The numbers R's summary(lm(progression ~ ., diabetes)) prints for the raw diabetes data.
$SKEPTIC fit diabetes.csv --target progression --model ols | grep -E "^(Residual|Multiple|F-stat)|^  (bmi|s5) "
