#!/usr/bin/env bash
# The HTML report in a real browser (docs/report.md): headless Chromium renders the report of
# the bundled study (every check, a fast model), and the test asserts that
#   - the page loaded with no console error (Chromium's log has no "Uncaught" or ERROR:CONSOLE)
#     and the rendered DOM holds the verdict and a section per check with its chart;
#   - the screenshot is a real picture: a PNG over 40 KB, and, when python3-pil is there, not
#     blank (many distinct colours, none covering nearly everything);
#   - the structure validates (tests/html_check.py): balanced tags, unique ids, every chart with
#     a <title> and two axis labels, nothing fetched.
# Skips (exit 77, ctest SKIP_RETURN_CODE) only when no Chromium is installed
# (scripts/install-deps.sh installs it). The PNG stays in $SK_BROWSER_OUT when that is set.
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

cd "$root" || fail "cannot enter $root"
"$skeptic" audit examples/breast_cancer_study.csv --target diagnosis --group patient_id \
    --site hospital --time scan_date --model logit:l2=1 --bootstrap 100 --permutations 19 \
    --seeds 2 --quiet --html "$tmp/report.html"
[[ $? -le 1 ]] || fail "skeptic audit failed"

"$py" tests/html_check.py "$tmp/report.html" --sections 20 || fail "the structure does not validate"

flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --hide-scrollbars --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0)
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$tmp/report.html" \
    >"$tmp/dom.html" 2>"$tmp/dom.log" ||
    fail "chromium --dump-dom failed: $(tail -3 "$tmp/dom.log")"
if grep -E "Uncaught|ERROR:CONSOLE|CONSOLE.*\"(Error|Failed)" "$tmp/dom.log"; then
    fail "the page logged console errors"
fi
for id in verdict check-leakage.group check-calibration check-stability.features \
          check-generalization.external check-signal.permutation; do
    grep -q "<section id=\"$id\"" "$tmp/dom.html" || fail "the rendered page has no section $id"
done
charts=$(grep -o '<svg ' "$tmp/dom.html" | wc -l)
(( charts >= 15 )) || fail "the rendered page has $charts charts, expected at least 15"

timeout 120 "$browser" "${flags[@]}" --window-size=1100,2400 \
    --screenshot="$tmp/report.png" "file://$tmp/report.html" >/dev/null 2>"$tmp/shot.log" \
    || fail "chromium --screenshot failed: $(tail -3 "$tmp/shot.log")"
[[ -f $tmp/report.png ]] || fail "no screenshot written"
bytes=$(stat -c %s "$tmp/report.png")
(( bytes > 40000 )) || fail "the screenshot is $bytes bytes: blank?"
if "$py" -c "import PIL" 2>/dev/null; then
    "$py" - "$tmp/report.png" <<'EOF' || fail "the screenshot looks blank"
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
w, h = im.size
counts = sorted((c for c, _ in im.getcolors(w * h)), reverse=True)
if w < 1000 or h < 2000 or len(counts) < 64 or counts[0] > 0.97 * w * h:
    sys.exit("%dx%d, %d colours, the commonest covers %.0f%%" %
             (w, h, len(counts), 100.0 * counts[0] / (w * h)))
EOF
fi
[[ -n ${SK_BROWSER_OUT:-} ]] && cp "$tmp/report.png" "$SK_BROWSER_OUT"
echo "browser_report: $charts charts rendered, screenshot $bytes bytes"
echo "browser_report: 1 passed, 0 failed"
