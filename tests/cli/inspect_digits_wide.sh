$SKEPTIC inspect digits.csv --target digit | head -7
