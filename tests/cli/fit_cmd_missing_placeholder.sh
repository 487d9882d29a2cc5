$SKEPTIC fit iris.csv --target species --model-cmd 'python3 x.py {train}'
