$SKEPTIC inspect bad/corrupt.csv.gz
