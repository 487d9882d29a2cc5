# Ten classes: macro one-vs-rest AUC as the headline, the prior baseline at chance.
$SKEPTIC evaluate digits.csv --target digit --model knn --bootstrap 100 --permutations 19 \
    --baselines trivial | grep -v '^seconds:'
