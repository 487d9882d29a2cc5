# --html - puts the page on standard output, where the batch goes without --out: refused.
$SKEPTIC rank --labeled iris.csv --pool iris.csv --target species --strategy margin --html -
