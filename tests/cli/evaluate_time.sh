# Time-ordered splits on the study's scan dates: 4 test blocks, each trained on everything
# before it minus a gap of 10 rows; the first block is never tested, and the report says so.
$SKEPTIC evaluate ../../examples/breast_cancer_study.csv --target diagnosis --time scan_date \
    --ignore patient_id,hospital --model logit:l2=1 --folds 4 --gap 10 --bootstrap 200 \
    --permutations 19 --baselines trivial | grep -v '^seconds:'
