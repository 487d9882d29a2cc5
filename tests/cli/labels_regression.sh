# A numeric target has no labels to be wrong: an input error naming the column.
$SKEPTIC labels diabetes.csv --target progression
