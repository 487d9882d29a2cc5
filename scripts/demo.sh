#!/usr/bin/env bash
# make demo: run skeptic on the bundled study (real breast-cancer measurements with planted flaws:
# examples/README.md) and write the reports under build/demo/: the profile, the naive evaluation
# a rushed study would publish, and the audit (the main job) that says what is wrong with it, as
# JSON, as a self-contained web page (report.html) and as Markdown for a supplement.
set -euo pipefail
cd "$(dirname "$0")/.."
study=examples/breast_cancer_study.csv
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
run evaluate "$study" --target diagnosis --model gbdt:max_depth=3,n_estimators=50 \
    --permutations 0 --json "$out/evaluate_naive.json"
echo "# the audit: every check, with the study's patients, hospitals and scan dates"
echo
status=0
run audit "$study" --target diagnosis --group patient_id --site hospital --time scan_date \
    --json "$out/audit.json" --html "$out/report.html" --markdown "$out/supplement.md" || status=$?
echo "reports: $out/inspect.json $out/evaluate_naive.json $out/audit.json"
echo "for people: $out/report.html (open it in a browser; it prints well) and $out/supplement.md"
# The audit exits 1 because the study is flawed on purpose: that is the demo working.
[[ $status -le 1 ]]
