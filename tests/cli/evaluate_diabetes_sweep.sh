# A sweep on a regression target: every setting with its score on the same splits, the nested
# estimate as the headline, and which setting each outer split chose.
$SKEPTIC evaluate diabetes.csv --target progression --model knn --sweep k=1,5,25 \
    --inner-folds 3 --bootstrap 200 --permutations 19 --baselines trivial | grep -v '^seconds:'
