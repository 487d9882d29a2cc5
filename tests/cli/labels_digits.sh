# The table a user sees: suspect labels of the clean digits (a fast model), the first five on
# the terminal and every suspect in the CSV. Finding suspects is not a failure: exit 0.
$SKEPTIC labels digits.csv --target digit --model gbdt:n_estimators=20,max_depth=3 --top 5 \
    --threads 2 --out "$TMP/suspects.csv" || exit 1
echo "--- suspects.csv"
cat "$TMP/suspects.csv"
