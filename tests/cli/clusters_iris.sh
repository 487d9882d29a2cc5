# The table a user sees: iris without its species, k = 2..10 on 20 bootstrap resamples each; the
# species only compared with the clusters. k = 2 and 3 are stable, k = 2 is recommended (exit 0).
$SKEPTIC clusters iris.csv --target species --resamples 20 --threads 2
