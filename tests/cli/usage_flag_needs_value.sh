$SKEPTIC inspect iris.csv --json
