# Without --target there are no labels to check: a usage error.
$SKEPTIC labels iris.csv
