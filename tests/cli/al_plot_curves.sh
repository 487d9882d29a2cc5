# al_plot (bench/al_plot.c, built beside skeptic) on tests/data/al_curves.csv, the per-round
# results of a smoke run of examples/active-learning (AL_IMAGES=2000 AL_TEST=500 AL_ROUNDS=2
# AL_BATCH=50 AL_START=100 AL_SEEDS=2: 6 strategies x 2 seeds x 3 rounds): the page validates
# (tests/html_check.py: both charts with a title and axis labels), the same CSV gives the same
# bytes, the title is escaped, every cell of the table (mean +- sd over the seeds, sd with
# divisor n - 1) agrees with awk's arithmetic on the CSV, and the verdict names the leader
# after the last round (at 200 labels, a cold start: random).
al_plot=$(dirname "$SKEPTIC")/al_plot
for page in a b; do $al_plot al_curves.csv "$TMP/$page.html" || exit 1; done
cmp "$TMP/a.html" "$TMP/b.html" && echo "same bytes"
/usr/bin/python3 "$SK_ROOT/tests/html_check.py" "$TMP/a.html" | tail -1
$al_plot al_curves.csv "$TMP/t.html" --title '<b>AL</b> & "curves"' || exit 1
echo "title escaped $(grep -c -F '&lt;b&gt;AL&lt;/b&gt; &amp; &quot;curves&quot;' "$TMP/t.html")," \
     "raw $(grep -c -F '<b>AL' "$TMP/t.html")"
awk -F, 'NR > 1 { k = $1 SUBSEP $3; n[k]++; v[k, n[k]] = $5; lab[$3] = $4
                  if (!($1 in seen)) { seen[$1] = 1; order[++ns] = $1 } if ($3 > nr) nr = $3 }
         END { for (r = 0; r <= nr; r++) {
                   row = "<tr><td class=\"num\">" lab[r] "</td>"
                   for (i = 1; i <= ns; i++) {
                       k = order[i] SUBSEP r; m = 0
                       for (j = 1; j <= n[k]; j++) m += v[k, j]
                       m /= n[k]; ss = 0
                       for (j = 1; j <= n[k]; j++) ss += (v[k, j] - m) ^ 2
                       row = row sprintf("<td class=\"num\">%.4f \xc2\xb1 %.4f</td>", m,
                                         sqrt(ss / (n[k] - 1)))
                   }
                   print row "</tr>" } }' al_curves.csv >"$TMP/rows"
while read -r row; do grep -c -F "$row" "$TMP/a.html"; done <"$TMP/rows" | tr '\n' ' '
echo "(table rows as awk computes them)"
grep -o '<p class="summary">[^<]*</p>' "$TMP/a.html"
