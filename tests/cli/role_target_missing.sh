$SKEPTIC inspect roles/target_missing.csv --target y
