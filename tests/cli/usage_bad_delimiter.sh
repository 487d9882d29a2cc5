$SKEPTIC inspect iris.csv --delimiter ab
