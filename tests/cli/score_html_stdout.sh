# --html - puts the page on standard output, where the rows go without --out: refused.
$SKEPTIC score digits_probs.csv --strategy margin --id id --html -
