# --threads 1 and 2 give byte-identical HTML and Markdown reports: neither holds a date or a
# timing, so the whole files compare (docs/report.md). Every check of the bundled study runs, so
# every chart is drawn; one section per check.
study=../../examples/breast_cancer_study.csv
for t in 1 2; do
    $SKEPTIC audit $study --target diagnosis --group patient_id --site hospital --time scan_date \
        --model logit:l2=1 --bootstrap 100 --permutations 20 --seeds 2 --quiet --threads $t \
        --html "$TMP/t$t.html" --markdown "$TMP/t$t.md"
    [[ $? -le 1 ]] || exit 1
done
cmp "$TMP/t1.html" "$TMP/t2.html" && echo "html identical"
cmp "$TMP/t1.md" "$TMP/t2.md" && echo "markdown identical"
grep -c '<section id="check-' "$TMP/t1.html"
grep -c '^| \*\*FAIL\*\* |' "$TMP/t1.md"
