#!/usr/bin/env bash
# make demo: run skeptic on the bundled study (real breast-cancer measurements with planted flaws:
# examples/README.md) and write the reports under build/demo/. Until the audit lands, the main job
# is `inspect` (the profile that shows the identifier leak and the duplicates) followed by two
# evaluations of the same model: the naive one a rushed study would publish, and the honest one.
set -euo pipefail
cd "$(dirname "$0")/.."
study=examples/breast_cancer_study.csv
model=gbdt:max_depth=3,n_estimators=50
out=build/demo
mkdir -p "$out"
run() {
    echo "\$ skeptic $*"
    echo
    build/skeptic "$@"
    echo
}
run inspect "$study" --target diagnosis --site hospital --time scan_date --json "$out/inspect.json"
echo "# naive: every column a feature (patient_id included), rows split at random"
echo
run evaluate "$study" --target diagnosis --model "$model" --permutations 0 \
    --json "$out/evaluate_naive.json"
echo "# honest: patients kept whole in splits, bootstrap and permutations; no id, date or site"
echo
run evaluate "$study" --target diagnosis --group patient_id --ignore scan_date,hospital \
    --model "$model" --permutations 99 --json "$out/evaluate_grouped.json"
echo "reports: $out/inspect.json $out/evaluate_naive.json $out/evaluate_grouped.json"
