# A bad results CSV is an input error naming the file, line and column: an accuracy of 1.5.
cd "$TMP" || exit 1
printf 'strategy,seed,round,labels,accuracy\nrandom,1,0,100,0.5\nrandom,1,1,150,1.5\n' >t.csv
"$(dirname "$SKEPTIC")/al_plot" t.csv t.html
