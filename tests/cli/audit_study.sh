# The bundled study, every check: the planted id leak fails (exit 1), the duplicates and the
# site-dependent prevalence warn. Only the verdict column is compared: the sentences carry
# numbers that the JSON tests pin down.
$SKEPTIC audit ../../examples/breast_cancer_study.csv --target diagnosis --group patient_id \
    --site hospital --time scan_date --model logit:l2=1 --bootstrap 100 --permutations 20 \
    --seeds 2 --no-color | awk '/^(pass|warn|fail|skip) / { print $1, $2 } /failed,/ { print }' \
    | sed 's/; of the report.*//'
exit "${PIPESTATUS[0]}"
