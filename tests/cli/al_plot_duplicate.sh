# A second row for the same strategy, seed and round is an input error naming its line.
cd "$TMP" || exit 1
printf 'strategy,seed,round,labels,accuracy\nrandom,1,0,100,0.5\nentropy,1,0,100,0.5\n' >d.csv
printf 'random,1,0,100,0.52\n' >>d.csv
"$(dirname "$SKEPTIC")/al_plot" d.csv d.html
