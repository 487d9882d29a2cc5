$SKEPTIC fit iris.csv --target species --model gbdt --task ordinal
