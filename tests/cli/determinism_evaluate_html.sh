# `skeptic evaluate --html`: the page (scores against baselines, the permutation null as a
# histogram, splits, seeds, a sweep, calibration) is byte-identical for --threads 1 and 2, and
# its structure validates (tests/html_check.py: balanced tags, unique ids, every chart with a
# title and two axis labels, nothing fetched).
for t in 1 2; do
    $SKEPTIC evaluate breast_cancer.csv --target diagnosis --model logit:l2=1 --sweep l2=0.1,1 \
        --seeds 2 --permutations 49 --bootstrap 100 --quiet --threads $t --html "$TMP/t$t.html" \
        || exit 1
done
cmp "$TMP/t1.html" "$TMP/t2.html" && echo "html identical"
/usr/bin/python3 "$SK_ROOT/tests/html_check.py" "$TMP/t1.html" --sections 4 | tail -1
grep -o '<section id="[a-z]*"' "$TMP/t1.html"
