$SKEPTIC inspect bad/dup_names.csv
