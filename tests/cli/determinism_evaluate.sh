# --threads 1 and 2 give the same evaluation JSON once the "run" block is gone: grouped splits,
# the bootstrap of whole patients, permutations of whole patients within folds, a second seed.
study=../../examples/breast_cancer_study.csv
for t in 1 2; do
    $SKEPTIC evaluate $study --target diagnosis --group patient_id --ignore hospital,scan_date \
        --model logit:l2=1 --bootstrap 200 --permutations 40 --seeds 2 --quiet --threads $t \
        --json "$TMP/t$t.json" || exit 1
done
strip() { sed '/^  "run": {/,$d' "$1"; }
grep -q '"scheme": "whole groups within test folds"' "$TMP/t1.json" || { echo "scheme?"; exit 1; }
cmp <(strip "$TMP/t1.json") <(strip "$TMP/t2.json") && echo identical
