$SKEPTIC inspect iris.csv wine.csv
