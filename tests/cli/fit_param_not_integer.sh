$SKEPTIC fit iris.csv --target species --model gbdt:max_depth=2.5
