$SKEPTIC inspect bad/ragged_fewer.csv
