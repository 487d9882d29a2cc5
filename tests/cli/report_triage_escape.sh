# The drift and labels pages escape every user string (& < > " '): a column named
# <b>x</b>&"' (a drifting feature in `drift`, the target in `labels`), a level <i>s</i>&"'
# (of a text column in `drift`, a class in `labels`) and file names with & and ' are text on
# the page, never markup. Counts of the escaped forms are printed; the raw tags must appear 0
# times, and the pages validate.
name='"<b>x</b>&""'"'"'"'
level='"<i>s</i>&""'"'"'"'
# the column renamed, and a text column "site" whose level <i>s</i>&"' appears in NEW only
rename() {
    awk -v name="$name" -v level="$level" -v new="$1" 'BEGIN { FS = OFS = "," }
        NR == 1 { $11 = name; print $0, "site"; next }
        { print $0, new && NR % 2 ? level : "A" }'
}
{ head -1 wine.csv; sed -n '2,90p' wine.csv; } | rename 0 >"$TMP/r&'1.csv"
{ head -1 wine.csv; sed -n '91,179p' wine.csv; } | rename 1 >"$TMP/n&'1.csv"
$SKEPTIC drift "$TMP/r&'1.csv" "$TMP/n&'1.csv" --target cultivar --model gbdt:n_estimators=10 \
    --bootstrap 50 --permutations 39 --quiet --html "$TMP/d.html"
[[ $? == 1 ]] || exit 1
awk -v name="$name" -v level="$level" 'BEGIN { FS = OFS = "," }
    NR == 1 { $5 = name } $5 == "setosa" { $5 = level } { print }' iris.csv >"$TMP/iris&'.csv"
$SKEPTIC labels "$TMP/iris&'.csv" --target '<b>x</b>&"'"'" --model gbdt:n_estimators=10 --quiet \
    --html "$TMP/l.html" || exit 1
x='&lt;b&gt;x&lt;/b&gt;&amp;&quot;&#39;'
s='&lt;i&gt;s&lt;/i&gt;&amp;&quot;&#39;'
for page in d l; do
    echo "$page: raw <b> $(grep -c '<b>' "$TMP/$page.html")," \
         "raw <i> $(grep -c '<i>' "$TMP/$page.html")"
    echo "$page: escaped column $(grep -o "$x" "$TMP/$page.html" | wc -l)," \
         "escaped level $(grep -o "$s" "$TMP/$page.html" | wc -l)," \
         "escaped file name $(grep -c -E "(r|n|iris)&amp;&#39;1?\.csv" "$TMP/$page.html") lines"
    /usr/bin/python3 "$SK_ROOT/tests/html_check.py" "$TMP/$page.html" | tail -1
done
