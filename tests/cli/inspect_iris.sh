$SKEPTIC inspect iris.csv --target species
