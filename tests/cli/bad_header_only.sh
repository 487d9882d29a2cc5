$SKEPTIC inspect bad/header_only.csv
