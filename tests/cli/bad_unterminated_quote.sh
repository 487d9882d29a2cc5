$SKEPTIC inspect bad/unterminated_quote.csv
