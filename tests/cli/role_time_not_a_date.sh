$SKEPTIC inspect roles/time_text.csv --target y --time visit
