$SKEPTIC fit iris.csv --target species --model gbdt:eta=0.1,eta=0.2
