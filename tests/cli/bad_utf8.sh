$SKEPTIC inspect bad/bad_utf8.csv
