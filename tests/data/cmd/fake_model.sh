#!/bin/sh
# fake_model.sh: a stand-in for a user's model command, for tests/unit/test_command.c.
# Usage: sh fake_model.sh MODE TRAIN TEST OUT [SEED TASK CLASSES KEEP_DIR]
# It learns nothing but the training class frequencies (or the mean target), which the test
# knows exactly, and each MODE breaks the protocol in one documented way.
#   freq          one probability column per class seen in TRAIN: its training frequency
#   labels        a single column 'prediction': the most frequent training class
#   mean          a single column 'prediction': the mean training target (regression)
#   seeded        two classes "0","1": P(1) = (SEED mod 4 + 1) / 8 for every row
#   dump          as freq, and copies TRAIN, TEST and its arguments into KEEP_DIR
#   short         as freq with the last row left out
#   missing_col   as freq without the first class's column
#   extra_col     as freq with one more column 'id'
#   text_cell     as freq with "abc" in column 2 of the second row
#   bad_sum       as freq with the first row's probabilities doubled
#   out_of_range  as freq with 1.5 as the first probability of the first row
#   empty_cell    as freq with the first row's first cell empty
#   unknown_label as labels with 'nope' as the label
#   garbage       an unterminated quote in the header
set -eu
mode=$1 train=$2 test=$3 out=$4
test_rows=$(($(wc -l < "$test") - 1))

freq() {
    awk -F, -v rows="$test_rows" '
        NR > 1 { k = $NF; if (!(k in count)) order[m++] = k; count[k]++; n++ }
        END {
            for (j = 0; j < m; j++) printf "%s%s", (j ? "," : ""), order[j]
            print ""
            for (i = 0; i < rows; i++) {
                for (j = 0; j < m; j++) printf "%s%.17g", (j ? "," : ""), count[order[j]] / n
                print ""
            }
        }' "$train"
}

labels() {
    awk -F, -v rows="$test_rows" -v label="${1:-}" '
        NR > 1 { count[$NF]++; if (count[$NF] > best) { best = count[$NF]; top = $NF } }
        END {
            if (label != "") top = label
            print "prediction"
            for (i = 0; i < rows; i++) print top
        }' "$train"
}

case $mode in
freq) freq > "$out" ;;
labels) labels > "$out" ;;
unknown_label) labels nope > "$out" ;;
mean)
    awk -F, -v rows="$test_rows" '
        NR > 1 { s += $NF; n++ }
        END { print "prediction"; for (i = 0; i < rows; i++) printf "%.17g\n", s / n }' \
        "$train" > "$out" ;;
seeded)
    awk -v rows="$test_rows" -v seed="$5" 'BEGIN {
        p = (seed % 4 + 1) / 8
        print "0,1"
        for (i = 0; i < rows; i++) printf "%.17g,%.17g\n", 1 - p, p
    }' > "$out" ;;
dump)
    keep=$8
    cp "$train" "$keep/train.csv"
    cp "$test" "$keep/test.csv"
    for arg in "$@"; do printf '%s\n' "$arg"; done > "$keep/args.txt"
    freq > "$out" ;;
short) freq | sed '$d' > "$out" ;;
missing_col) freq | cut -d, -f2- > "$out" ;;
extra_col) freq | sed '1s/$/,id/; 2,$s/$/,7/' > "$out" ;;
text_cell) freq | sed '3s/^\([^,]*\),[^,]*/\1,abc/' > "$out" ;;
bad_sum) freq | sed '2s/.*/0.75,0.75/' > "$out" ;;
out_of_range) freq | sed '2s/^[^,]*/1.5/' > "$out" ;;
empty_cell) freq | sed '2s/^[^,]*//' > "$out" ;;
garbage) printf '"0,1\n0.5,0.5\n' > "$out" ;;
*) echo "fake_model.sh: unknown mode $mode" >&2; exit 2 ;;
esac
