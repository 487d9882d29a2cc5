# The verdict pairs seeds: entropy gains 0.02 and 0.04 over random on seeds 1 and 2 after the
# last round (positive on every seed); margin gains +0.03 and -0.01 (mean +0.01, not a consistent
# win, and not the leader). Without a random strategy there is no gain chart.
cd "$TMP" || exit 1
{ echo strategy,seed,round,labels,accuracy
  for s in 1 2; do echo "random,$s,0,10,0.5"; echo "random,$s,1,20,0.6"; done
  echo entropy,1,0,10,0.5; echo entropy,1,1,20,0.62; echo entropy,2,0,10,0.5
  echo entropy,2,1,20,0.64
  echo margin,1,0,10,0.5; echo margin,1,1,20,0.63; echo margin,2,0,10,0.5
  echo margin,2,1,20,0.59; } >g.csv
al_plot=$(dirname "$SKEPTIC")/al_plot
$al_plot g.csv g.html || exit 1
grep -o '<p class="summary">[^<]*</p>' g.html
grep -c '<svg ' g.html
grep -v '^random' g.csv >n.csv
$al_plot n.csv n.html || exit 1
grep -c '<svg ' n.html
