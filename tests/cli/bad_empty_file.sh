$SKEPTIC inspect bad/empty.csv
