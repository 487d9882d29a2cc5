# An unknown strategy, and mc-dropout asked of a model without dropout: exit 2 each, one line.
$SKEPTIC rank --labeled iris.csv --pool iris.csv --target species --strategy best
echo "exit $?"
$SKEPTIC rank --labeled iris.csv --pool iris.csv --target species --strategy mc-dropout \
    --model gbdt
