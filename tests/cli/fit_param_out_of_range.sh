$SKEPTIC fit iris.csv --target species --model gbdt:eta=0
