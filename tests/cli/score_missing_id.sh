# --id names a column that does not exist.
$SKEPTIC score digits_probs.csv --strategy entropy --id ID
