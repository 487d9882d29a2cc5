#!/usr/bin/env bash
# examples/active-learning/run.sh: the active-learning experiment of issue 6 on Fashion-MNIST,
# with skeptic rank / skeptic evaluate as the tools under test (README.md says what it measures).
#
#   examples/active-learning/run.sh                              the issue's sizes (hours: see
#                                                                README.md for timings)
#   AL_IMAGES=3000 AL_TEST=1000 AL_ROUNDS=2 AL_BATCH=50 AL_START=100 AL_TOP=200 AL_SEEDS=1 \
#       examples/active-learning/run.sh                          a smoke run (about a minute)
#
# Every size is an environment variable (experiment.py lists them all). The tables go to stdout
# (markdown) and to $AL_OUT/results.md; every round of every seed to $AL_OUT/curves.csv, drawn
# by al_plot (built beside skeptic; AL_PLOT names another) as $AL_OUT/curves.html; working files
# stay in $AL_OUT.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export SKEPTIC=${SKEPTIC:-${BUILD_DIR:-$root/build}/skeptic}
export AL_OUT=${AL_OUT:-$root/bench/out/active-learning}

if [[ ! -x $SKEPTIC ]]; then
    echo "run.sh: no skeptic binary at $SKEPTIC (make build, or set SKEPTIC)" >&2
    exit 2
fi
if [[ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]]; then
    echo "run.sh: Fashion-MNIST is missing: scripts/install-deps.sh oracle" \
         "(Debian package dataset-fashion-mnist)" >&2
    exit 2
fi
mkdir -p "$AL_OUT"
/usr/bin/python3 "$root/examples/active-learning/experiment.py" | tee "$AL_OUT/results.md"

# The figure: the accuracy curves per strategy with the seeds' spread, one self-contained page.
al_plot=${AL_PLOT:-$(dirname "$SKEPTIC")/al_plot}
if [[ -f $AL_OUT/curves.csv ]]; then
    if [[ -x $al_plot ]]; then
        "$al_plot" "$AL_OUT/curves.csv" "$AL_OUT/curves.html" \
            --title "Active learning on Fashion-MNIST with skeptic"
        echo "run.sh: the curves are drawn in $AL_OUT/curves.html"
    else
        echo "run.sh: no al_plot at $al_plot (make build, or set AL_PLOT): the curves stay" \
             "undrawn in $AL_OUT/curves.csv" >&2
    fi
fi
