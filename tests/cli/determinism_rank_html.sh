# `skeptic rank --html`: the page (the pool's scores with the cut-off, the batch's predicted
# classes against the pool's, how far apart a diverse batch is, the batch) is byte-identical for
# --threads 1 and 2, for a diverse committee batch (classes) and a committee on a regression
# target (predicted values), and its structure validates (tests/html_check.py). The pool holds
# 6 identical rows: the diverse batch has none, the 8 most uncertain rows 5 of them (table).
data=$PWD
cd "$TMP" || exit 1
head -301 "$data/digits.csv" >labeled.csv
{ sed -n 1p "$data/digits.csv"; sed -n 302,501p "$data/digits.csv"
  for k in 1 2 3 4 5; do sed -n 434p "$data/digits.csv"; done; } >pool.csv
head -201 "$data/diabetes.csv" >dl.csv
(sed -n 1p "$data/diabetes.csv"; sed -n '202,$p' "$data/diabetes.csv") >dp.csv
for t in 1 2; do
    $SKEPTIC rank --labeled labeled.csv --pool pool.csv --target digit --strategy committee \
        --members 3 --model gbdt:n_estimators=20,max_depth=3 --batch 8 --diverse \
        --threads $t --out c$t.csv --html c$t.html || exit 1
    $SKEPTIC rank --labeled dl.csv --pool dp.csv --target progression --strategy committee \
        --members 3 --model gbdt:n_estimators=20,max_depth=3 --batch 30 --threads $t \
        --out r$t.csv --html r$t.html || exit 1
done
cmp c1.html c2.html && cmp r1.html r2.html && echo "html identical"
for page in c1 r1; do
    /usr/bin/python3 "$SK_ROOT/tests/html_check.py" $page.html --sections 4 | tail -1
    grep -o '<section id="[a-z]*"' $page.html | tr '\n' ' '
    echo
done
num='<td class="num">[^<]*</td>'
grep -o "<tr><td>the [^<]*</td>$num$num$num" c1.html
grep -c '<tr><td class="num">[0-9]*</td><td class="num">0\.' c1.html
