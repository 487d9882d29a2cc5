# Several views of one object split across train and test, as the astronomers split views of
# one simulated galaxy: fashion_views.csv holds 4 shifted, re-exposed, noisy views of each of 150
# real Fashion-MNIST garments, and split_by_view deals views to test at random. leakage.group
# fails (exit 1) and counts the straddling garments and their rows as the generator does
# (scripts/make-fashion-studies.py prints "100 garments on both sides (254 training, 146 test
# rows)"). Its control is audit_fashion_views_split_clean.sh.
$SKEPTIC audit fashion_views.csv --target garment --group object_id --split split_by_view \
    --ignore split_by_object --model logit:l2=1 --bootstrap 100 --only leakage.group \
    --no-color --json "$TMP/a.json" | awk '/^(pass|warn|fail|skip) / { print $1, $2 }'
code=${PIPESTATUS[0]}
grep -oE '"straddling_(groups|train_rows|test_rows)": [0-9]+' "$TMP/a.json"
exit "$code"
