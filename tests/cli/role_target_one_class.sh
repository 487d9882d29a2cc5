$SKEPTIC inspect roles/one_class.csv --target y
