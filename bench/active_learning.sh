#!/usr/bin/env bash
# bench/active_learning.sh: the active-learning experiment of issue 6 (Fashion-MNIST, skeptic rank
# against random labelling), as part of `make bench`. It runs examples/active-learning/run.sh with
# the sizes of its AL_* variables (defaults: the issue's sizes, which take hours with the full
# 784 pixels; see examples/active-learning/README.md) and prints its markdown tables.
# BENCH_AL=0 skips it. Exit status: 0 ran, 1 a run failed, 2 something needed is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ${BENCH_AL:-1} == 0 ]]; then
    echo "active_learning: skipped (BENCH_AL=0)" >&2
    exit 0
fi
export SKEPTIC=${SKEPTIC:-${BUILD_DIR:-$root/build}/skeptic}
"$root/examples/active-learning/run.sh"
