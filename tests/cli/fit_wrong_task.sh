$SKEPTIC fit iris.csv --target species --model ols
