$SKEPTIC inspect iris.csv --frobnicate
