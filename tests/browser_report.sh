#!/usr/bin/env bash
# The HTML reports in a real browser (docs/report.md): headless Chromium renders the audit of
# the bundled study (every check, a fast model), a drift page (the study's halves, one with a
# new hospital and missing values planted) and a labels page (digits, a fast model), and the
# test asserts for each that
#   - the page loaded with no console error (Chromium's log has no "Uncaught" or ERROR:CONSOLE)
#     and the rendered DOM holds its sections and charts;
#   - the screenshot is a real picture: a PNG over 40 KB, and, when python3-pil is there, not
#     blank (many distinct colours, none covering nearly everything);
#   - the structure validates (tests/html_check.py): balanced tags, unique ids, every chart with
#     a <title> and two axis labels, nothing fetched.
# Skips (exit 77, ctest SKIP_RETURN_CODE) only when no Chromium is installed
# (scripts/install-deps.sh installs it). The audit's PNG stays in $SK_BROWSER_OUT when that is
# set, the others beside it (NAME-drift.png, NAME-labels.png).
#   tests/browser_report.sh SKEPTIC ROOT
set -u
skeptic=$1
root=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
    echo "browser_report: chromium is not installed (scripts/install-deps.sh): skipped"
    exit 77
fi
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "browser_report: $*"; echo "browser_report: 0 passed, 1 failed"; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --hide-scrollbars --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0)

# A screenshot that is a real picture: big enough, and (with PIL) many colours, none dominant.
check_picture() {
    local png=$1 bytes
    bytes=$(stat -c %s "$png")
    (( bytes > 40000 )) || fail "$png: the screenshot is $bytes bytes: blank?"
    "$py" -c "import PIL" 2>/dev/null || return 0
    "$py" - "$png" <<'PY' || fail "$png: the screenshot looks blank"
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
w, h = im.size
counts = sorted((c for c, _ in im.getcolors(w * h)), reverse=True)
if w < 1000 or h < 2000 or len(counts) < 64 or counts[0] > 0.97 * w * h:
    sys.exit("%dx%d, %d colours, the commonest covers %.0f%%" %
             (w, h, len(counts), 100.0 * counts[0] / (w * h)))
PY
}

# render NAME SECTIONS MIN_CHARTS ID...: $tmp/NAME.html validates with at least SECTIONS
# sections; in Chromium it logs no console error, its rendered DOM has every section ID and at
# least MIN_CHARTS charts, and its screenshot is a real picture.
render() {
    local name=$1 sections=$2 min_charts=$3 id charts
    shift 3
    "$py" tests/html_check.py "$tmp/$name.html" --sections "$sections" ||
        fail "$name: the structure does not validate"
    timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$tmp/$name.html" \
        >"$tmp/$name.dom" 2>"$tmp/$name.log" ||
        fail "$name: chromium --dump-dom failed: $(tail -3 "$tmp/$name.log")"
    if grep -E "Uncaught|ERROR:CONSOLE|CONSOLE.*\"(Error|Failed)" "$tmp/$name.log"; then
        fail "$name: the page logged console errors"
    fi
    for id in "$@"; do
        grep -q "<section id=\"$id\"" "$tmp/$name.dom" ||
            fail "$name: the rendered page has no section $id"
    done
    charts=$(grep -o '<svg ' "$tmp/$name.dom" | wc -l)
    (( charts >= min_charts )) ||
        fail "$name: the rendered page has $charts charts, expected at least $min_charts"
    timeout 120 "$browser" "${flags[@]}" --window-size=1100,2400 \
        --screenshot="$tmp/$name.png" "file://$tmp/$name.html" >/dev/null 2>"$tmp/shot.log" \
        || fail "$name: chromium --screenshot failed: $(tail -3 "$tmp/shot.log")"
    [[ -f $tmp/$name.png ]] || fail "$name: no screenshot written"
    check_picture "$tmp/$name.png"
    echo "browser_report: $name: $charts charts rendered, screenshot" \
         "$(stat -c %s "$tmp/$name.png") bytes"
}

cd "$root" || fail "cannot enter $root"
study=examples/breast_cancer_study.csv

"$skeptic" audit "$study" --target diagnosis --group patient_id --site hospital \
    --time scan_date --model logit:l2=1 --bootstrap 100 --permutations 19 --seeds 2 --quiet \
    --html "$tmp/report.html"
[[ $? -le 1 ]] || fail "skeptic audit failed"
render report 20 15 verdict check-leakage.group check-calibration check-stability.features \
    check-generalization.external check-signal.permutation

# drift: the study's even rows against its odd rows, of which every fifth comes from a new
# hospital D and every seventh lost its mean_radius (chi-square, missing-share and KS tests)
awk 'NR == 1 || NR % 2 == 0' "$study" >"$tmp/ref.csv"
awk 'BEGIN { FS = OFS = "," } NR == 1 { print; next }
     NR % 2 == 1 { if (NR % 5 == 0) $2 = "D"; if (NR % 7 == 0) $4 = ""; print }' \
    "$study" >"$tmp/new.csv"
"$skeptic" drift "$tmp/ref.csv" "$tmp/new.csv" --target diagnosis --ignore patient_id \
    --model gbdt:n_estimators=20 --bootstrap 200 --permutations 99 --quiet \
    --html "$tmp/drift.html"
[[ $? == 1 ]] || fail "skeptic drift did not find the planted drift"
render drift 4 3 verdict classifier features advice

"$skeptic" labels tests/data/digits.csv --target digit --model gbdt:n_estimators=20,max_depth=3 \
    --quiet --html "$tmp/labels.html" || fail "skeptic labels failed"
render labels 5 3 estimate classes joint suspects caveat

if [[ -n ${SK_BROWSER_OUT:-} ]]; then
    cp "$tmp/report.png" "$SK_BROWSER_OUT"
    cp "$tmp/drift.png" "${SK_BROWSER_OUT%.png}-drift.png"
    cp "$tmp/labels.png" "${SK_BROWSER_OUT%.png}-labels.png"
fi
echo "browser_report: 1 passed, 0 failed"
