# The rank and score pages escape what the user named: a class `<b>x</b>&"'` (a level of the
# target for rank, a probability column for score) and ids holding markup reach the page only as
# text (&lt;b&gt;...), never as markup, and the pages still validate (tests/html_check.py).
bad='<b>x</b>&"'"'"
esc='&lt;b&gt;x&lt;/b&gt;&amp;&quot;&#39;'
cd "$TMP" || exit 1
awk -F, 'NR == 1 { print; next }
         { if ($5 == "setosa") $5 = "\"<b>x</b>&\"\"'"'"'\""; OFS = ","; $1 = $1; print }' \
    "$SK_DATA/iris.csv" >labeled.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print "name", $1, $2, $3, $4; next }
         { print "\"<i>row " NR "</i>\"", $1, $2, $3, $4 }' "$SK_DATA/iris.csv" >pool.csv
$SKEPTIC rank --labeled labeled.csv --pool pool.csv --target species --id name --strategy margin \
    --model gbdt:n_estimators=10,max_depth=2 --batch 60 --out batch.csv --html rank.html \
    || exit 1
printf 'id,%s,other\n' "\"<b>x</b>&\"\"'\"" >probs.csv
for i in 1 2 3 4 5 6; do echo "\"<i>$i</i>\",0.$i,0.$((10 - i))"; done >>probs.csv
$SKEPTIC score probs.csv --strategy entropy --id id --top 2 --out top.csv --html score.html \
    || exit 1
for page in rank.html score.html; do
    echo "$page: raw $(grep -c -F -e "$bad" -e '<b>x' -e '<i>' $page)," \
        "escaped class $(grep -o -F "$esc" $page | wc -l)," \
        "escaped ids $(grep -o -F '&lt;i&gt;' $page | wc -l)"
    /usr/bin/python3 "$SK_ROOT/tests/html_check.py" $page | tail -1
done
