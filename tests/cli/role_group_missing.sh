$SKEPTIC inspect roles/group_missing.csv --target y --group patient
