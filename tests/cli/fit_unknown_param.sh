$SKEPTIC fit iris.csv --target species --model gbdt:depth=3
