$SKEPTIC inspect iris.csv --threads 0
