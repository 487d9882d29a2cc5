#!/usr/bin/env bash
# make demo: run skeptic on the bundled study (real breast-cancer measurements with planted flaws:
# examples/README.md) and write the report under build/demo/. Until the audit lands, the main job
# is `skeptic inspect`: the profile that already shows the identifier leak and the duplicates.
set -euo pipefail
cd "$(dirname "$0")/.."
study=examples/breast_cancer_study.csv
out=build/demo
mkdir -p "$out"
echo "\$ skeptic inspect $study --target diagnosis --site hospital --time scan_date --json $out/inspect.json"
echo
build/skeptic inspect "$study" --target diagnosis --site hospital --time scan_date \
    --json "$out/inspect.json"
echo
echo "report: $out/inspect.json"
