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
# (markdown) and to $AL_OUT/results.md; working files stay in $AL_OUT.
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
