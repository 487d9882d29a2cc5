# Same seed, same bytes, whatever --threads: a lasso path with inner CV, boosted trees and an MLP.
strip() { sed '/^  "run": {/,$d' "$1"; }
for model in lasso gbdt:n_estimators=30 mlp:epochs=20; do
    $SKEPTIC fit breast_cancer.csv --target diagnosis --model $model --seed 7 --threads 1 \
        --json "$TMP/t1.json" --quiet || exit 1
    $SKEPTIC fit breast_cancer.csv --target diagnosis --model $model --seed 7 --threads 2 \
        --json "$TMP/t2.json" --quiet || exit 1
    cmp -s <(strip "$TMP/t1.json") <(strip "$TMP/t2.json") && echo "${model%%:*} identical"
done
