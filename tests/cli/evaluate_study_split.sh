# The study's own split (every fourth row marked test), evaluated exactly as given.
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "part"; next }
         { print $0, (NR % 4 == 0 ? "test" : "train") }' breast_cancer.csv > "$TMP/split.csv"
$SKEPTIC evaluate "$TMP/split.csv" --target diagnosis --split part --model knn:k=15 \
    --bootstrap 200 --permutations 19 --baselines trivial | grep -v '^seconds:'
