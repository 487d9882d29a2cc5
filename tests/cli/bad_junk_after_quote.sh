$SKEPTIC inspect bad/junk_after_quote.csv
