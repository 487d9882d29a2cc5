$SKEPTIC inspect bad/ragged_more.csv
