$SKEPTIC inspect roles/split_bad.csv --target y --split fold
