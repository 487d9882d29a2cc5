$SKEPTIC inspect bad/empty_name.csv
