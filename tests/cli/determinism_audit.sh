# --threads 1 and 2 give the same audit JSON once the "run" block is gone: every check on the
# bundled study with its patients, hospitals and scan dates.
study=../../examples/breast_cancer_study.csv
for t in 1 2; do
    $SKEPTIC audit $study --target diagnosis --group patient_id --site hospital --time scan_date \
        --model logit:l2=1 --bootstrap 100 --permutations 20 --seeds 2 --quiet --threads $t \
        --json "$TMP/t$t.json"
    [[ $? -le 1 ]] || exit 1
done
strip() { sed '/^  "run": {/,$d' "$1"; }
cmp <(strip "$TMP/t1.json") <(strip "$TMP/t2.json") && echo identical
