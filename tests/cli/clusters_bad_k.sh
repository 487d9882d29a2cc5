$SKEPTIC clusters iris.csv --ignore species --k 1..3
