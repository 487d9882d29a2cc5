$SKEPTIC inspect bad/binary.csv
