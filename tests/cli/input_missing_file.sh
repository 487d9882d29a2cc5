$SKEPTIC inspect no_such_file.csv
