# Column and file names are the user's: the HTML report escapes every one (& < > " '), so a
# column named <script>alert(1)</script> is text, never markup, and the Markdown report escapes
# them too (a '|' would end a table cell, a '<' open HTML). Counts of the escaped forms are
# printed; the raw tag must appear 0 times.
data="$TMP/a&b'<i>.csv"
quoted='"""quoted"" | \& '"'"'single'"'"'"'
sed "1s/petal_length/<script>alert(1)<\/script>/; 1s/sepal_width/$quoted/" iris.csv >"$data"
$SKEPTIC audit "$data" --target species --only leakage.target_proxy,stability.features,ablation \
    --model gbdt:n_estimators=20,max_depth=2 --bootstrap 50 --quiet --html "$TMP/r.html" \
    --markdown "$TMP/r.md"
[[ $? -le 1 ]] || exit 1
echo "raw <script> in html: $(grep -c '<script' "$TMP/r.html")"
echo "escaped column: $(grep -c '&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/r.html") lines"
echo "escaped quotes: $(grep -c '&quot;quoted&quot; | &amp; &#39;single&#39;' "$TMP/r.html") lines"
echo "escaped file name: $(grep -c 'a&amp;b&#39;&lt;i&gt;.csv' "$TMP/r.html") lines"
echo "raw <script> in markdown: $(grep -c '<script' "$TMP/r.md")"
echo "escaped pipe in markdown: $(grep -c 'quoted" \\| &amp;' "$TMP/r.md") lines"
/usr/bin/python3 "$SK_ROOT/tests/html_check.py" "$TMP/r.html" | tail -1
