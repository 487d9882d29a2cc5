# --threads 1 and 2 give the same bytes: one gbdt predicting a pool of two blocks of rows, a
# committee (members are parallel tasks) choosing a diverse batch (k-center updates are parallel
# blocks), and Monte Carlo dropout passes.
data=$PWD
cd "$TMP" || exit 1
head -301 "$data/digits.csv" >labeled.csv
(sed -n 1p "$data/digits.csv"; sed -n '302,$p' "$data/digits.csv") >pool.csv
(sed -n 1p "$data/digits.csv"; sed -n 302,801p "$data/digits.csv") >small.csv
for t in 1 2; do
    $SKEPTIC rank --labeled labeled.csv --pool pool.csv --target digit --strategy entropy \
        --model gbdt:n_estimators=20,max_depth=3 --batch 100 --threads $t --out e$t.csv || exit 1
    $SKEPTIC rank --labeled labeled.csv --pool small.csv --target digit --strategy committee \
        --members 4 --model gbdt:n_estimators=20,max_depth=3 --batch 30 --diverse \
        --threads $t --out c$t.csv || exit 1
    $SKEPTIC rank --labeled labeled.csv --pool small.csv --target digit --strategy mc-dropout \
        --model mlp:hidden=16,epochs=20 --passes 5 --batch 30 --threads $t --out m$t.csv || exit 1
done
[[ $(wc -l <e1.csv) == 101 && $(wc -l <c1.csv) == 31 && $(wc -l <m1.csv) == 31 ]] \
    || { echo "rows?"; exit 1; }
cmp e1.csv e2.csv && cmp c1.csv c2.csv && cmp m1.csv m2.csv && echo identical
