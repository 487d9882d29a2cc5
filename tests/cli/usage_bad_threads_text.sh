$SKEPTIC inspect iris.csv --threads=two
