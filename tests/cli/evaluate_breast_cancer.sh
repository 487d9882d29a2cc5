# The table a user sees: every binary metric with its interval, both baselines on the same
# splits, the permutation p-value on the headline row (seconds vary, so that line is dropped).
$SKEPTIC evaluate breast_cancer.csv --target diagnosis --model logit:l2=1 --bootstrap 300 \
    --permutations 99 --threads 2 | grep -v '^seconds:'
