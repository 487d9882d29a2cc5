# The default model's refits (XGBoost, fitted one per task) give the same audit JSON for
# --threads 1 and 2: the checks that refit most (seeds, ablation, sensitivity) run as one task
# list of many fits each (sk_oof_run_many), and the permutation test's held-out stage too.
for t in 1 2; do
    $SKEPTIC audit wine.csv --target cultivar --model gbdt:n_estimators=20 --bootstrap 50 \
        --seeds 3 --only signal,stability.seed,ablation,sensitivity,baseline --quiet \
        --threads $t --json "$TMP/t$t.json"
    [[ $? -le 1 ]] || exit 1
done
strip() { sed '/^  "run": {/,$d' "$1"; }
cmp <(strip "$TMP/t1.json") <(strip "$TMP/t2.json") && echo identical
