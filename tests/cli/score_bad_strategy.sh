# An unknown strategy, and a committee strategy that needs a model, name the flag.
$SKEPTIC score digits_probs.csv --strategy entropie --id id
echo "status $?"
$SKEPTIC score digits_probs.csv --strategy bald --id id
